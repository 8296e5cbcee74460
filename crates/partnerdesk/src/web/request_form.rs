//! The service-request form, shared by the flows that file one (on a customer's behalf, a
//! customer to its partner, a partner's own): its fields as typed, its choices, the input it
//! makes for the use case, and what a submit leads to.

use std::collections::HashMap;

use askama::Template;
use axum::{http::StatusCode, response::Response};
use partnerdesk_app::{
    Actor, AppError, Result as AppResult,
    domain::{ContactChannel, EnumText, EscalationCriterion, Severity},
    requests::{ContactInput, RawEnum, RequestInput, RequestView},
    store::{FileRecord, SupportTopic},
};
use serde::Deserialize;

use super::{
    form_with_files::FormWithFiles,
    page::{Frame, PageError, Section, shown_size},
    visitor::{Visitor, new_form_token},
};
use crate::{api::AppState, i18n::Locale};

/// Where a form is and what it asks.
pub struct FormContext {
    /// The way back up, as (link, label).
    pub crumbs: Vec<(String, String)>,
    pub action: String,
    pub back: String,
    /// A customer asking its partner: no escalation details, the contact is the customer.
    pub customer_filing: bool,
    /// The topics to choose from, each with its service's name when several services mix.
    pub topics: Vec<(SupportTopic, Option<String>)>,
    pub section: Section,
}

/// What the form holds: as typed, so that a failed submit shows it all again.
#[derive(Deserialize, Default, Clone)]
pub struct RequestForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: String,
    #[serde(default, rename = "supportTopicId")]
    topic_id: String,
    #[serde(default, rename = "escalationCriterion")]
    criterion: String,
    #[serde(default)]
    troubleshooting: String,
    #[serde(default, rename = "primaryContact.firstName")]
    first_name: String,
    #[serde(default, rename = "primaryContact.lastName")]
    last_name: String,
    #[serde(default, rename = "primaryContact.email")]
    email: String,
    #[serde(default, rename = "primaryContact.phoneNumber")]
    phone: String,
    #[serde(default, rename = "primaryContact.preferredChannel")]
    channel: String,
    #[serde(default, rename = "primaryContact.locale")]
    language: String,
    #[serde(default, rename = "primaryContact.timeZone")]
    time_zone: String,
    /// One per rendered form: a second submit of the same form makes no second request.
    #[serde(default)]
    submission: String,
    /// Files already uploaded with an earlier submit of this form (staged ids, comma-separated).
    #[serde(default)]
    attachments: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Template)]
#[template(path = "web/request_form.html")]
struct FormPage {
    frame: Frame,
    /// A customer asking its partner: no escalation details, the contact is the customer.
    customer_filing: bool,
    crumbs: Vec<(String, String)>,
    action: String,
    back: String,
    form: RequestForm,
    /// Field name → what is wrong with it.
    errors: HashMap<String, String>,
    /// Files kept from earlier submits, as (name, size).
    staged: Vec<(String, String)>,
    severities: Vec<SeverityChoice>,
    topics: Vec<Choice>,
    criteria: Vec<Choice>,
    channels: Vec<Choice>,
    languages: Vec<Choice>,
}

struct SeverityChoice {
    value: &'static str,
    label: String,
    meaning: String,
    selected: bool,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

impl FormPage {
    /// The message for a field, if it is wrong.
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

fn choices(items: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == current,
            value,
            label,
        })
        .collect()
}

fn form_page(
    visitor: &Visitor,
    context: &FormContext,
    form: RequestForm,
    errors: HashMap<String, String>,
    staged: &[FileRecord],
) -> FormPage {
    let locale: Locale = visitor.locale;
    let customer_filing = context.customer_filing;
    FormPage {
        frame: visitor.frame(
            if customer_filing {
                "request-form-title-customer"
            } else {
                "request-form-title"
            },
            context.section,
        ),
        customer_filing,
        crumbs: context.crumbs.clone(),
        back: context.back.clone(),
        severities: Severity::ALL
            .iter()
            .map(|s| SeverityChoice {
                value: s.as_str(),
                label: locale.text(&format!("severity-{s}")),
                meaning: locale.text_with(
                    &format!("severity-{s}-meaning"),
                    &[("hours", s.default_first_response_hours().into())],
                ),
                selected: form.severity == s.as_str(),
            })
            .collect(),
        topics: choices(
            context.topics.iter().map(|(t, service)| {
                let category = locale.text(&format!("category-{}", t.category));
                let label = match service {
                    Some(service) => format!("{service} › {} ({category})", t.name),
                    None => format!("{} ({category})", t.name),
                };
                (t.id.clone(), label)
            }),
            &form.topic_id,
        ),
        criteria: choices(
            EscalationCriterion::ALL.iter().map(|c| {
                (
                    c.as_str().to_string(),
                    locale.text(&format!("criterion-{c}")),
                )
            }),
            &form.criterion,
        ),
        channels: choices(
            ContactChannel::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), locale.text(&format!("channel-{c}")))),
            &form.channel,
        ),
        languages: choices(
            Locale::ALL
                .iter()
                .map(|l| (l.tag().to_string(), l.native_name().to_string())),
            &form.language,
        ),
        action: context.action.clone(),
        form,
        errors,
        staged: staged
            .iter()
            .map(|f| (f.file.file_name.clone(), shown_size(f.file.size_bytes)))
            .collect(),
    }
}

impl RequestForm {
    /// A new form: the title so far, the contact prefilled from the signed-in user, and a
    /// fresh submission id.
    pub fn prefilled(visitor: &Visitor, actor: &Actor, title: Option<String>) -> RequestForm {
        let (first, last) = actor
            .name()
            .split_once(' ')
            .map(|(f, l)| (f.to_string(), l.to_string()))
            .unwrap_or_else(|| (actor.name().to_string(), String::new()));
        RequestForm {
            title: title.unwrap_or_default(),
            first_name: first,
            last_name: last,
            email: actor.user.email.clone(),
            phone: actor.user.phone.clone().unwrap_or_default(),
            channel: ContactChannel::Phone.as_str().to_string(),
            language: visitor.locale.tag().to_string(),
            time_zone: "Asia/Shanghai".into(),
            submission: new_form_token(),
            ..RequestForm::default()
        }
    }

    fn attachment_ids(&self) -> Vec<String> {
        self.attachments
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// What the use case gets: blank fields are absent.
    pub fn input(&self, context: &FormContext) -> RequestInput {
        let text = |v: &str| Some(v.to_string()).filter(|v| !v.trim().is_empty());
        RequestInput {
            title: text(&self.title),
            description: text(&self.description),
            severity: text(&self.severity).map(RawEnum::Text),
            support_topic_id: text(&self.topic_id),
            escalation_criterion: text(&self.criterion),
            troubleshooting: text(&self.troubleshooting),
            // A customer's request names the customer's admin: the use case's default.
            contact: (!context.customer_filing).then(|| ContactInput {
                first_name: text(&self.first_name),
                last_name: text(&self.last_name),
                email: text(&self.email),
                phone: text(&self.phone),
                preferred_channel: text(&self.channel),
                locale: text(&self.language),
                time_zone: text(&self.time_zone),
            }),
            idempotency_key: text(&self.submission).map(|s| format!("form:{s}")),
            attachments: self.attachment_ids(),
            require_escalation_details: !context.customer_filing,
            ..RequestInput::default()
        }
    }
}

/// The form, fresh.
pub fn show(visitor: &Visitor, context: &FormContext, form: RequestForm) -> Response {
    visitor.render(
        StatusCode::OK,
        &form_page(visitor, context, form, HashMap::new(), &[]),
    )
}

/// A submit: the files it carries are kept first (staged), so that whatever else is wrong,
/// the form comes back with them; then `create` files the request with them. Without the
/// page's token the form is shown again, as typed, to be sent once more.
pub async fn submit(
    state: &AppState,
    visitor: &Visitor,
    context: &FormContext,
    sent: FormWithFiles<RequestForm>,
    create: impl AsyncFnOnce(RequestInput) -> AppResult<RequestView>,
) -> Result<Response, PageError> {
    let FormWithFiles {
        mut form,
        files,
        problem,
    } = sent;
    let actor = visitor.actor()?;
    let app = &state.app;
    let mut staged = app
        .staged_files(actor, &form.attachment_ids())
        .await
        .map_err(|e| visitor.fail(e))?;
    if !visitor.sent_form_token(&form.csrf) {
        let errors = HashMap::from([("form".to_string(), visitor.locale.text("error-bad_form"))]);
        let page = form_page(visitor, context, form, errors, &staged);
        return Ok(visitor.render(StatusCode::FORBIDDEN, &page));
    }
    let kept = match problem {
        Some(problem) => Err(problem),
        None => app.stage_files(actor, &files, staged.len()).await,
    };
    let created = match kept {
        Ok(kept) => {
            staged.extend(kept);
            form.attachments = staged
                .iter()
                .map(|f| f.file.id.to_string())
                .collect::<Vec<_>>()
                .join(",");
            create(form.input(context)).await
        }
        Err(e) => Err(e),
    };
    match created {
        Ok(view) => Ok(visitor.redirect(&format!("/requests/{}/submitted", view.request.id), None)),
        Err(AppError::Invalid(fields)) => {
            let errors = fields
                .iter()
                .map(|f| (f.field.to_string(), visitor.locale.field_message(f)))
                .collect();
            let page = form_page(visitor, context, form, errors, &staged);
            Ok(visitor.render(StatusCode::BAD_REQUEST, &page))
        }
        Err(e) => Err(visitor.fail(e)),
    }
}
