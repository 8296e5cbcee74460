//! What every page has: the frame (language, menu, user, form token, message) and the way a
//! page, a redirect or a failure becomes a response.

use askama::Template;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use partnerdesk_app::{AppError, policy};

use super::{
    assets,
    visitor::{FLASH_COOKIE, FORM_COOKIE, Visitor},
};
use crate::{cookies, i18n::Locale};

/// The console's sections, for the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    CustomerRequests,
    PartnerRequests,
    Customers,
    Health,
    Articles,
    Queue,
    Scorecards,
    Plans,
    Audit,
    Partners,
    Catalogue,
    SlaPolicy,
    Settings,
    /// Pages outside the menu (sign-in, errors).
    None,
}

pub struct MenuItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct Frame {
    pub locale: Locale,
    pub title: String,
    /// "Signed in as …", when signed in.
    pub who: Option<String>,
    pub menu: Vec<MenuItem>,
    pub form_token: String,
    pub flash: Option<String>,
    pub here: String,
    pub css: &'static str,
    pub script: &'static str,
}

pub struct LanguageChoice {
    pub tag: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

impl Frame {
    pub fn t(&self, key: &str) -> String {
        self.locale.text(key)
    }

    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    pub fn languages(&self) -> Vec<LanguageChoice> {
        Locale::ALL
            .iter()
            .map(|l| LanguageChoice {
                tag: l.tag(),
                name: l.native_name(),
                selected: *l == self.locale,
            })
            .collect()
    }
}

impl Visitor {
    /// The frame of a page titled by the text `title_key`, in `section`.
    pub fn frame(&self, title_key: &str, section: Section) -> Frame {
        let menu = match &self.actor {
            None => vec![],
            Some(actor) => {
                let customer = actor.org_kind() == partnerdesk_app::domain::OrgKind::Customer;
                let mut items = vec![(Section::Dashboard, "/".to_string(), "nav-dashboard")];
                if actor.is_operator() && policy::request_scope(actor).is_ok() {
                    items.push((Section::Queue, "/queue".into(), "nav-queue"));
                }
                // Scorecards: the operator's comparison; a partner's admins see their own.
                if policy::check_scorecard(actor, actor.org_id()).is_ok() {
                    let href = if actor.is_operator() {
                        "/scorecards".to_string()
                    } else {
                        format!("/scorecards/{}", actor.org_id())
                    };
                    items.push((Section::Scorecards, href, "nav-scorecards"));
                }
                if policy::check_read_plans(actor, actor.org_id()).is_ok() {
                    items.push((Section::Plans, "/plans".into(), "nav-plans"));
                }
                if policy::may_read_audit_log(actor) {
                    items.push((Section::Audit, "/audit".into(), "nav-audit"));
                }
                if policy::may_read_partners(actor) {
                    items.push((Section::Partners, "/admin/partners".into(), "nav-partners"));
                }
                if policy::may_manage_catalogue(actor) {
                    items.push((
                        Section::Catalogue,
                        "/admin/services".into(),
                        "nav-catalogue",
                    ));
                }
                if policy::request_scope(actor).is_ok() {
                    items.push((
                        Section::CustomerRequests,
                        "/requests".into(),
                        if customer {
                            "nav-my-requests"
                        } else {
                            "nav-customer-requests"
                        },
                    ));
                }
                // The partner's own requests: its global admins' (and billing admins', for
                // billing) — those who may file them.
                if actor.org_kind() == partnerdesk_app::domain::OrgKind::Partner
                    && policy::may_file_own_requests(actor)
                {
                    items.push((
                        Section::PartnerRequests,
                        "/partner-requests".into(),
                        "nav-partner-requests",
                    ));
                }
                if customer {
                    // A customer's admin has one customer: its own.
                    items.push((
                        Section::Customers,
                        format!("/customers/{}", actor.org_id()),
                        "nav-my-services",
                    ));
                } else if policy::may_see_customers(actor) {
                    items.push((Section::Customers, "/customers".into(), "nav-customers"));
                }
                if policy::incident_scope(actor).is_ok() {
                    items.push((Section::Health, "/health".into(), "nav-health"));
                }
                if policy::may_read_articles(actor) && !customer {
                    items.push((Section::Articles, "/articles".into(), "nav-articles"));
                }
                items.push((Section::Settings, "/settings".into(), "nav-settings"));
                items
                    .into_iter()
                    .map(|(s, href, key)| MenuItem {
                        href,
                        label: self.locale.text(key),
                        current: s == section,
                    })
                    .collect()
            }
        };
        Frame {
            locale: self.locale,
            title: self.locale.text(title_key),
            who: self.actor.as_ref().map(|a| {
                self.locale
                    .text_with("signed-in-as", &[("name", a.name().to_string().into())])
            }),
            menu,
            form_token: self.form_token.clone(),
            flash: self.flash.as_ref().map(|key| self.locale.text(key)),
            here: self.here.clone(),
            css: assets::CSS_URL.as_str(),
            script: assets::SCRIPT_URL.as_str(),
        }
    }

    /// A rendered page with the console's headers and cookies.
    /// A page shown again after a change it refused (409, the reason on it), or as asked (200).
    pub fn render_after(&self, refused: bool, page: &impl Template) -> Response {
        let status = if refused {
            StatusCode::CONFLICT
        } else {
            StatusCode::OK
        };
        self.render(status, page)
    }

    /// A page with a form: 400 when it shows why the last submit was refused, else 200.
    pub fn render_form(&self, refused: bool, page: &impl Template) -> Response {
        let status = if refused {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        self.render(status, page)
    }

    pub fn render(&self, status: StatusCode, page: &impl Template) -> Response {
        match page.render() {
            Ok(html) => self.with_cookies((status, Html(html)).into_response()),
            Err(e) => {
                tracing::error!(error = %e, "cannot render a page");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }

    /// A redirect after a form (303: the next request is a GET), leaving `flash` for the next
    /// page.
    pub fn redirect(&self, to: &str, flash: Option<&str>) -> Response {
        let mut response = self.with_cookies(Redirect::to(to).into_response());
        if let Some(key) = flash {
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::set(FLASH_COOKIE, key, 60, self.secure_cookies),
            );
        }
        response
    }

    pub fn fail(&self, error: impl Into<AppError>) -> PageError {
        PageError {
            visitor: Box::new(self.clone()),
            error: error.into(),
        }
    }

    fn with_cookies(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        if self.new_form_cookie {
            headers.append(
                header::SET_COOKIE,
                cookies::set(FORM_COOKIE, &self.form_token, 86_400, self.secure_cookies),
            );
        }
        if self.flash.is_some() {
            headers.append(
                header::SET_COOKIE,
                cookies::set(FLASH_COOKIE, "", 0, self.secure_cookies),
            );
        }
        // Pages show one user's data: never cached, never framed, no script but our own.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors 'none'",
            ),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
        response
    }
}

/// The options of a select: (value, label).
pub type Choices = Vec<(&'static str, String)>;

/// Every value of `E`, labelled by the text `{prefix}{value}` in the visitor's language.
pub fn choices<E: partnerdesk_app::domain::EnumText + 'static>(
    visitor: &Visitor,
    prefix: &str,
) -> Choices {
    E::ALL
        .iter()
        .map(|e| {
            (
                e.as_str(),
                visitor.locale.text(&format!("{prefix}{}", e.as_str())),
            )
        })
        .collect()
}

/// The languages content is written in (en, zh, ru), named in the visitor's language.
pub fn content_languages(visitor: &Visitor) -> Choices {
    choices::<partnerdesk_app::domain::ContentLocale>(visitor, "incident-language-")
}

/// A moment as the pages show it: minutes, in UTC, said so.
pub fn shown_time(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// A file's size for people: bytes, KB or MB (powers of 1024), one decimal below ten.
pub fn shown_size(bytes: i64) -> String {
    const UNITS: [&str; 3] = ["B", "KB", "MB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 || size >= 10.0 {
        format!("{} {}", size.round(), UNITS[unit])
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// Refuses a form sent without this visitor's form token (CSRF).
pub fn check_form_token(visitor: &Visitor, sent: &str) -> Result<(), PageError> {
    if visitor.sent_form_token(sent) {
        Ok(())
    } else {
        Err(visitor.fail(AppError::Forbidden))
    }
}

/// Field messages of a refused change, or the error page for anything else.
pub fn field_messages(visitor: &Visitor, error: AppError) -> Result<Vec<String>, PageError> {
    match error {
        AppError::Invalid(fields) => Ok(fields
            .iter()
            .map(|f| visitor.locale.field_message(f))
            .collect()),
        other => Err(visitor.fail(other)),
    }
}

/// A use case's failure, shown as the visitor's error page (or sign-in).
pub trait OnPage<T> {
    fn on_page(self, visitor: &Visitor) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> OnPage<T> for Result<T, E> {
    fn on_page(self, visitor: &Visitor) -> Result<T, PageError> {
        self.map_err(|e| visitor.fail(e))
    }
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage {
    frame: Frame,
    heading: String,
    text: String,
}

/// A page that could not be shown: sign-in for a visitor who is not signed in, else an error
/// page in the visitor's language. Internals are logged, never shown.
pub struct PageError {
    visitor: Box<Visitor>,
    error: AppError,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let visitor = self.visitor;
        let (status, heading, text) = match &self.error {
            AppError::Unauthenticated => {
                let back: String =
                    form_urlencoded::byte_serialize(visitor.here.as_bytes()).collect();
                return visitor.redirect(&format!("/signin?next={back}"), None);
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "page-forbidden-title",
                "page-forbidden-text",
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "page-not-found-title",
                "page-not-found-text",
            ),
            AppError::Invalid(_) => (
                StatusCode::BAD_REQUEST,
                "page-error-title",
                "error-invalid_input",
            ),
            AppError::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "page-error-title",
                "error-rate_limited",
            ),
            other => {
                tracing::error!(code = other.code(), error = %other, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "page-error-title",
                    "page-error-text",
                )
            }
        };
        let mut text = visitor.locale.text(text);
        if let AppError::Invalid(fields) = &self.error {
            for f in fields {
                text.push(' ');
                text.push_str(&visitor.locale.field_message(f));
            }
        }
        let page = ErrorPage {
            frame: visitor.frame(heading, Section::None),
            heading: visitor.locale.text(heading),
            text,
        };
        visitor.render(status, &page)
    }
}
