//! Settings: the partner's support profile (shown to its customers), its users (its global
//! admin adds them), and the signed-in user's own API tokens.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use jiff::Timestamp;
use partnerdesk_app::{
    AppError,
    domain::{EnumText, Guid, OrgKind, Role},
    policy,
    store::SupportProfile,
};
use serde::Deserialize;

use super::{
    page::{Frame, OnPage, PageError, Section, check_form_token, field_messages, shown_time},
    visitor::{TokenOnlyForm, Visitor},
};
use crate::api::AppState;

#[derive(Template)]
#[template(path = "web/settings.html")]
struct SettingsPage {
    frame: Frame,
    /// The partner's profile: editable by its global admin, shown to its other users.
    profile: Option<SupportProfile>,
    edit_profile: bool,
    profile_errors: Vec<String>,
    users: Option<Vec<UserRow>>,
    roles: Vec<(&'static str, String)>,
    new_user: NewUserForm,
    user_errors: Vec<String>,
    tokens: Vec<TokenRow>,
    /// A token just created: its secret, shown this once.
    new_secret: Option<String>,
    token_errors: Vec<String>,
}

struct UserRow {
    id: Guid,
    name: String,
    email: String,
    role: Role,
    role_label: String,
    disabled: bool,
    /// The signed-in administrator's own row: not changeable here.
    is_self: bool,
}

struct TokenRow {
    id: Guid,
    name: String,
    created: String,
    last_used: String,
    revoked: bool,
}

fn shown(at: Option<Timestamp>) -> String {
    at.map(shown_time).unwrap_or_else(|| "—".into())
}

/// What the page shows besides the form being corrected.
#[derive(Default)]
struct Draft {
    profile: Option<SupportProfile>,
    profile_errors: Vec<String>,
    new_user: NewUserForm,
    user_errors: Vec<String>,
    new_secret: Option<String>,
    token_errors: Vec<String>,
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let app = &state.app;
    let locale = visitor.locale;
    let profile = match (actor.org_kind(), draft.profile) {
        (OrgKind::Partner, Some(typed)) => Some(typed),
        (OrgKind::Partner, None) => Some(app.support_profile(actor).await.on_page(visitor)?),
        _ => None,
    };
    let users = if policy::may_manage_users(actor) {
        Some(
            app.organization_users(actor)
                .await
                .on_page(visitor)?
                .into_iter()
                .map(|u| UserRow {
                    id: u.id,
                    role: u.role,
                    role_label: locale.text(&format!("role-{}", u.role)),
                    is_self: u.id == actor.id(),
                    name: u.name,
                    email: u.email,
                    disabled: u.disabled,
                })
                .collect(),
        )
    } else {
        None
    };
    let tokens = app
        .tokens(actor)
        .await
        .on_page(visitor)?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: shown(Some(t.created_at)),
            last_used: shown(t.last_used_at),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let page = SettingsPage {
        frame: visitor.frame("settings-title", Section::Settings),
        edit_profile: policy::may_edit_support_profile(actor),
        profile,
        profile_errors: draft.profile_errors,
        users,
        // The roles of the actor's kind of organization.
        roles: Role::ALL
            .iter()
            .filter(|r| r.org_kind() == actor.org_kind())
            .map(|r| (r.as_str(), locale.text(&format!("role-{r}"))))
            .collect(),
        new_user: draft.new_user,
        user_errors: draft.user_errors,
        tokens,
        new_secret: draft.new_secret,
        token_errors: draft.token_errors,
    };
    Ok(visitor.render(status, &page))
}

pub async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    render(&state, &visitor, Draft::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    hours: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn save_profile(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ProfileForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let typed = SupportProfile {
        email: text(&form.email),
        phone: text(&form.phone),
        website: text(&form.website),
        hours: text(&form.hours),
    };
    match state.app.put_support_profile(actor, &typed).await {
        Ok(_) => Ok(visitor.redirect("/settings", Some("flash-settings-saved"))),
        Err(e) => {
            let draft = Draft {
                profile_errors: field_messages(&visitor, e)?,
                profile: Some(typed),
                ..Draft::default()
            };
            render(&state, &visitor, draft, StatusCode::BAD_REQUEST).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let name = Some(form.name.as_str()).filter(|n| !n.trim().is_empty());
    let password = Some(form.password.as_str()).filter(|p| !p.is_empty());
    match state
        .app
        .add_user(
            Some(actor),
            &form.email,
            name,
            actor.org_id(),
            &form.role,
            password,
        )
        .await
    {
        Ok(_) => Ok(visitor.redirect("/settings", Some("flash-user-added"))),
        Err(e) => {
            let draft = Draft {
                user_errors: field_messages(&visitor, e)?,
                // Kept as typed, except the password.
                new_user: NewUserForm {
                    password: String::new(),
                    ..form
                },
                ..Draft::default()
            };
            render(&state, &visitor, draft, StatusCode::BAD_REQUEST).await
        }
    }
}

#[derive(Deserialize)]
pub struct AccessForm {
    #[serde(default)]
    role: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    disabled: Option<String>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// Changes a user's role, or disables it (its sessions and tokens stop at once).
pub async fn change_user(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<AccessForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    match state
        .app
        .change_user_access(actor, &id, &form.role, form.disabled.is_some())
        .await
    {
        Ok(()) => Ok(visitor.redirect("/settings", Some("flash-settings-saved"))),
        Err(e) => {
            let draft = Draft {
                user_errors: field_messages(&visitor, e)?,
                ..Draft::default()
            };
            render(&state, &visitor, draft, StatusCode::BAD_REQUEST).await
        }
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// Creates a personal API token and shows its secret once (it is kept only as a hash).
pub async fn create_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let draft = match state.app.create_token(actor, &form.name).await {
        Ok(issued) => Draft {
            new_secret: Some(issued.secret),
            ..Draft::default()
        },
        Err(e) => Draft {
            token_errors: field_messages(&visitor, e)?,
            ..Draft::default()
        },
    };
    let status = if draft.token_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(&state, &visitor, draft, status).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<TokenOnlyForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let id: Guid = id.parse().map_err(|_| visitor.fail(AppError::NotFound))?;
    state.app.revoke_token(actor, id).await.on_page(&visitor)?;
    Ok(visitor.redirect("/settings", Some("flash-token-revoked")))
}
