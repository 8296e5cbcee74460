//! Signing in, sessions, API tokens and users.

use std::sync::LazyLock;

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use jiff::SignedDuration;
use partnerdesk_domain::{EnumText, FieldError, Guid, Role, TokenScope, fields};
use partnerdesk_store::{ApiToken, AuditEntry, NewUser, StoreError, User};

use crate::{
    Actor, App, AppError, Result, policy,
    secrets::{new_secret, secret_hash},
};

/// How long a browser session lasts.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);
/// Sign-in attempts allowed per e-mail address, and per client address, in one window.
pub const SIGN_IN_ATTEMPTS: i64 = 10;
pub const SIGN_IN_WINDOW_SECS: i64 = 15 * 60;
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Verified against when the e-mail is unknown, so that a wrong e-mail costs as long as a wrong
/// password and timing does not reveal which accounts exist.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password_blocking("dummy password for timing"));

pub(crate) fn hash_password_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashes off the async threads: argon2 takes tens of milliseconds on purpose.
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A new session: the cookie value (shown once) and the CSRF token forms and API calls echo.
pub struct Session {
    pub secret: String,
    pub csrf_token: String,
    pub user: User,
}

/// A new API token: the secret is shown once and only its hash is kept.
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: String,
}

fn audit(
    app: &App,
    actor: Option<&Actor>,
    entity: &'static str,
    id: impl ToString,
    action: &str,
) -> AuditEntry {
    AuditEntry {
        at: app.now(),
        actor_id: actor.map(Actor::id),
        actor_name: actor
            .map(|a| a.name().to_string())
            .unwrap_or_else(|| "system".into()),
        org_id: actor.map(Actor::org_id),
        entity,
        entity_id: id.to_string(),
        action: action.into(),
        detail: serde_json::json!({}),
    }
}

impl App {
    /// Counts an attempt against `key`; `RateLimited` past `limit` in the current window.
    pub(crate) async fn rate_limit(&self, key: &str, limit: i64, window_secs: i64) -> Result<()> {
        let now = self.now().as_second();
        let window = now / window_secs;
        let window_end = jiff::Timestamp::from_second((window + 1) * window_secs)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let hits = self.store.hit_rate_limit(key, window, window_end).await?;
        if hits > limit {
            let retry_after_secs = u64::try_from((window + 1) * window_secs - now)
                .unwrap_or(1)
                .max(1);
            return Err(AppError::RateLimited { retry_after_secs });
        }
        Ok(())
    }

    /// Signs in with e-mail and password, from `client` (an address, for rate limiting).
    pub async fn sign_in(&self, email: &str, password: &str, client: &str) -> Result<Session> {
        let email = email.trim().to_lowercase();
        self.rate_limit(
            &format!("signin:email:{email}"),
            SIGN_IN_ATTEMPTS,
            SIGN_IN_WINDOW_SECS,
        )
        .await?;
        self.rate_limit(
            &format!("signin:client:{client}"),
            SIGN_IN_ATTEMPTS * 5,
            SIGN_IN_WINDOW_SECS,
        )
        .await?;
        let credentials = self.store.credentials(&email).await?;
        let hash = credentials
            .as_ref()
            .and_then(|c| c.password_hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.clone());
        let password = password.to_string();
        let verified = tokio::task::spawn_blocking(move || verify_blocking(&password, &hash))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let user = match credentials {
            Some(c) if verified && c.password_hash.is_some() && !c.user.disabled => c.user,
            _ => return Err(AppError::BadCredentials),
        };
        let secret = new_secret("");
        let csrf_token = new_secret("");
        let now = self.now();
        self.store
            .insert_session(
                &secret_hash(&secret),
                user.id,
                &csrf_token,
                now,
                now + SESSION_LIFETIME,
            )
            .await?;
        Ok(Session {
            secret,
            csrf_token,
            user,
        })
    }

    pub async fn sign_out(&self, session_secret: &str) -> Result<()> {
        Ok(self
            .store
            .delete_session(&secret_hash(session_secret))
            .await?)
    }

    /// The actor behind a session cookie, with the session's CSRF token.
    pub async fn session_actor(&self, session_secret: &str) -> Result<(Actor, String)> {
        let found = self
            .store
            .session_owner(&secret_hash(session_secret), self.now())
            .await?;
        let found = found.ok_or(AppError::Unauthenticated)?;
        let csrf = found.csrf_token.unwrap_or_default();
        Ok((Actor::new(found.user), csrf))
    }

    /// The actor behind an API token (remembered briefly: see `credential_cache`). Last use is
    /// recorded at most once a minute, so that authenticating stays a read.
    pub async fn token_actor(&self, secret: &str) -> Result<Actor> {
        let hash = secret_hash(secret);
        let now = self.now();
        if let Some(actor) = self.credentials.get(&hash, now) {
            return Ok(actor);
        }
        let found = self
            .store
            .token_owner(&hash, TokenScope::Api)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if let Some(token_id) = found.token_id
            && found
                .last_used_at
                .is_none_or(|last| now.duration_since(last) > SignedDuration::from_mins(1))
        {
            self.store.touch_api_token(token_id, now).await?;
        }
        let actor = Actor::new(found.user);
        self.credentials.put(hash, actor.clone(), now);
        Ok(actor)
    }

    /// Issues an API token acting as `actor`.
    pub async fn create_token(&self, actor: &Actor, name: &str) -> Result<IssuedToken> {
        self.issue_token(actor, name, TokenScope::Api).await
    }

    /// Issues a token that reads `actor`'s service-health feed and nothing else (it is put in
    /// a feed reader's URL). Revoked like any token.
    pub async fn create_feed_token(&self, actor: &Actor) -> Result<IssuedToken> {
        crate::policy::incident_scope(actor)?;
        self.issue_token(actor, "service health feed", TokenScope::Feed)
            .await
    }

    /// The actor behind a feed token (asked of the database every time: feeds are polled
    /// rarely, and a revoked one must stop at once).
    pub async fn feed_actor(&self, secret: &str) -> Result<Actor> {
        let found = self
            .store
            .token_owner(&secret_hash(secret), TokenScope::Feed)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(Actor::new(found.user))
    }

    async fn issue_token(
        &self,
        actor: &Actor,
        name: &str,
        scope: TokenScope,
    ) -> Result<IssuedToken> {
        let name = fields::required_text("name", Some(name), fields::limits::SHORT)?;
        let secret = new_secret(match scope {
            TokenScope::Api => "pd_",
            TokenScope::Feed => "pdf_",
        });
        let token = ApiToken {
            id: Guid::new_random(),
            user_id: actor.id(),
            name,
            scope,
            created_at: self.now(),
            last_used_at: None,
            revoked_at: None,
        };
        let entry = audit(self, Some(actor), "api_token", token.id, "created");
        self.store
            .insert_api_token(&token, &secret_hash(&secret), &entry)
            .await?;
        Ok(IssuedToken { token, secret })
    }

    /// For the CLI (an operator at the server's console): a token for the user with this e-mail.
    pub async fn create_token_for_email(&self, email: &str, name: &str) -> Result<IssuedToken> {
        let user = self
            .store
            .user_by_email(&email.trim().to_lowercase())
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    AppError::field(FieldError::invalid("email", "no user has this e-mail"))
                }
                other => other.into(),
            })?;
        self.create_token(&Actor::new(user), name).await
    }

    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        Ok(self.store.api_tokens_of(actor.id()).await?)
    }

    pub async fn revoke_token(&self, actor: &Actor, token_id: Guid) -> Result<()> {
        let entry = audit(self, Some(actor), "api_token", token_id, "revoked");
        self.store
            .revoke_api_token(actor.id(), token_id, &entry)
            .await?;
        self.credentials.forget_all();
        Ok(())
    }

    /// Saves the language the actor chose (a tag like `zh-CN`), which then wins over the
    /// browser's.
    pub async fn set_locale(&self, actor: &Actor, tag: &str) -> Result<()> {
        const TAGS: [&str; 3] = ["en-US", "zh-CN", "ru-RU"];
        let tag = TAGS
            .into_iter()
            .find(|t| t.eq_ignore_ascii_case(tag.trim()))
            .ok_or_else(|| FieldError {
                field: "locale",
                kind: partnerdesk_domain::FieldErrorKind::NotOneOf {
                    allowed: TAGS.to_vec(),
                },
            })?;
        let entry = self.audit_entry(
            actor,
            "user",
            actor.id(),
            "locale_changed",
            serde_json::json!({ "locale": tag }),
        );
        self.store
            .set_user_locale(actor.id(), Some(tag), &entry)
            .await?;
        Ok(())
    }

    /// The users of the actor's organization, for its administrators (a partner's global
    /// admin, the operator's admin).
    /// A user's name, for the operator's people to see who works a request.
    pub async fn user_name(&self, actor: &Actor, id: Guid) -> Result<String> {
        if !actor.is_operator() {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.user(id).await?.name)
    }

    pub async fn organization_users(&self, actor: &Actor) -> Result<Vec<User>> {
        if !policy::may_manage_users(actor) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.users_of(actor.org_id()).await?)
    }

    /// Changes the role of a user of the actor's organization, or disables (or re-enables)
    /// it; a disabled user's sessions and tokens stop working at once. Administrators cannot
    /// change themselves, so an organization never locks out its last one by mistake.
    pub async fn change_user_access(
        &self,
        actor: &Actor,
        user_id: &str,
        role: &str,
        disabled: bool,
    ) -> Result<()> {
        if !policy::may_manage_users(actor) {
            return Err(AppError::Forbidden);
        }
        let user_id: Guid = user_id.trim().parse().map_err(|_| AppError::NotFound)?;
        let user = match self.store.user(user_id).await {
            Ok(user) if user.org_id == actor.org_id() => user,
            Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        if user.id == actor.id() {
            return Err(FieldError::invalid("user", "you cannot change your own access").into());
        }
        let role = Role::parse_text(role).map_err(|e| FieldError::not_one_of("role", e))?;
        if role.org_kind() != user.org_kind {
            return Err(FieldError::invalid(
                "role",
                format!("a {role} belongs to a {} organization", role.org_kind()),
            )
            .into());
        }
        let entry = self.audit_entry(
            actor,
            "user",
            user.id,
            "access_changed",
            serde_json::json!({
                "from": { "role": user.role, "disabled": user.disabled },
                "to": { "role": role, "disabled": disabled },
            }),
        );
        self.store
            .set_user_access(user.id, actor.org_id(), role, disabled, &entry)
            .await?;
        // Tokens are trusted for a few seconds per node; this node forgets them now.
        self.credentials.forget_all();
        Ok(())
    }

    /// Creates a user in an organization (the CLI, and later the settings pages).
    pub async fn add_user(
        &self,
        by: Option<&Actor>,
        email: &str,
        name: Option<&str>,
        org_id: Guid,
        role: &str,
        password: Option<&str>,
    ) -> Result<User> {
        let email = fields::email("email", Some(email))?.ok_or(FieldError::required("email"))?;
        let role = Role::parse_text(role).map_err(|e| FieldError::not_one_of("role", e))?;
        let org = self.store.organization(org_id).await.map_err(|e| match e {
            StoreError::NotFound => {
                AppError::field(FieldError::invalid("org", "no such organization"))
            }
            other => other.into(),
        })?;
        if role.org_kind() != org.kind {
            return Err(FieldError::invalid(
                "role",
                format!("a {role} belongs to a {} organization", role.org_kind()),
            )
            .into());
        }
        if let Some(by) = by
            && !(by.org_id() == org_id && policy::may_manage_users(by))
        {
            return Err(AppError::Forbidden);
        }
        let name = fields::optional_text("name", name, fields::limits::NAME)?
            .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
        let hash = match password {
            Some(p) if p.chars().count() < MIN_PASSWORD_CHARS => {
                return Err(FieldError {
                    field: "password",
                    kind: partnerdesk_domain::FieldErrorKind::TooShort {
                        min: MIN_PASSWORD_CHARS,
                    },
                }
                .into());
            }
            Some(p) => Some(hash_password(p.to_string()).await?),
            None => None,
        };
        let id = Guid::new_random();
        let entry = AuditEntry {
            detail: serde_json::json!({ "email": email, "role": role, "org": org_id.to_string() }),
            org_id: Some(org_id),
            ..audit(self, by, "user", id, "created")
        };
        let new = NewUser {
            id,
            org_id,
            email: &email,
            name: &name,
            role,
            password_hash: hash.as_deref(),
            locale: None,
            phone: None,
            at: self.now(),
        };
        self.store
            .insert_user(&new, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate(_) => {
                    AppError::field(FieldError::invalid("email", "already in use"))
                }
                other => other.into(),
            })
    }
}
