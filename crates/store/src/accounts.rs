//! Users, their API tokens and their sign-in sessions. Token and session secrets are stored
//! only as hashes; the caller hashes.

use jiff::Timestamp;
use partnerdesk_domain::{EnumText, Guid, Role};
use sqlx::any::AnyRow;

use crate::{
    ApiToken, AuditEntry, Authenticated, Credentials, Store, StoreError, User, audit,
    rows::{flag, guid, micros, opt_text, opt_time, text, time, word},
};
use partnerdesk_domain::TokenScope;
use sqlx::AssertSqlSafe;

const USER_COLUMNS: &str =
    "u.id, u.org_id, o.kind AS org_kind, o.name AS org_name, u.email, u.name, u.role,
    u.locale, u.phone, u.disabled";

fn user(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: guid(row, "id")?,
        org_id: guid(row, "org_id")?,
        org_kind: word(row, "org_kind")?,
        org_name: text(row, "org_name")?,
        email: text(row, "email")?,
        name: text(row, "name")?,
        role: word(row, "role")?,
        locale: opt_text(row, "locale")?,
        phone: opt_text(row, "phone")?,
        disabled: flag(row, "disabled")?,
    })
}

/// A new user; `email` already lower-cased and `password_hash` already computed.
pub struct NewUser<'a> {
    pub id: Guid,
    pub org_id: Guid,
    pub email: &'a str,
    pub name: &'a str,
    pub role: partnerdesk_domain::Role,
    pub password_hash: Option<&'a str>,
    pub locale: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub at: Timestamp,
}

impl Store {
    /// Creates a user; `Duplicate` if the e-mail is taken.
    pub async fn insert_user(
        &self,
        new: &NewUser<'_>,
        audit: &AuditEntry,
    ) -> Result<User, StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, org_id, email, name, role, password_hash, locale, phone, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(new.id.to_string())
        .bind(new.org_id.to_string())
        .bind(new.email)
        .bind(new.name)
        .bind(new.role.to_string())
        .bind(new.password_hash)
        .bind(new.locale)
        .bind(new.phone)
        .bind(micros(new.at))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        self.user(new.id).await
    }

    pub async fn user(&self, id: Guid) -> Result<User, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        user(&row)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<User, StoreError> {
        Ok(self
            .credentials(email)
            .await?
            .ok_or(StoreError::NotFound)?
            .user)
    }

    /// The user with this (lower-cased) e-mail and the password hash, for sign-in.
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u JOIN organizations o ON o.id = u.org_id
             WHERE u.email = $1 AND o.suspended_at IS NULL"
        )))
        .bind(email)
        .fetch_optional(&self.read)
        .await?;
        row.map(|row| {
            Ok(Credentials {
                user: user(&row)?,
                password_hash: opt_text(&row, "password_hash")?,
            })
        })
        .transpose()
    }

    pub async fn set_password_hash(
        &self,
        user_id: Guid,
        hash: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.set_user_text("password_hash", user_id, Some(hash), audit)
            .await
    }

    /// Sets the language a user reads the console in (`None`: the browser's).
    pub async fn set_user_locale(
        &self,
        user_id: Guid,
        locale: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.set_user_text("locale", user_id, locale, audit).await
    }

    /// Sets one text column of a user, with its audit event, in one transaction.
    async fn set_user_text(
        &self,
        column: &'static str,
        user_id: Guid,
        value: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE users SET {column} = $2 WHERE id = $1"
        )))
        .bind(user_id.to_string())
        .bind(value)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a user's role and whether it may sign in, if it belongs to `org_id`.
    pub async fn set_user_access(
        &self,
        user_id: Guid,
        org_id: Guid,
        role: Role,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let done =
            sqlx::query("UPDATE users SET role = $3, disabled = $4 WHERE id = $1 AND org_id = $2")
                .bind(user_id.to_string())
                .bind(org_id.to_string())
                .bind(role.as_str())
                .bind(i64::from(disabled))
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Users of one organization, by name.
    pub async fn users_of(&self, org_id: Guid) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organizations o ON o.id = u.org_id
             WHERE u.org_id = $1 ORDER BY u.name, u.id"
        )))
        .bind(org_id.to_string())
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(user).collect()
    }

    pub async fn insert_api_token(
        &self,
        token: &ApiToken,
        token_hash: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, scope)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token.id.to_string())
        .bind(token.user_id.to_string())
        .bind(&token.name)
        .bind(token_hash)
        .bind(micros(token.created_at))
        .bind(token.scope.to_string())
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The enabled user behind an unrevoked token of `scope`.
    pub async fn token_owner(
        &self,
        token_hash: &str,
        scope: TokenScope,
    ) -> Result<Option<Authenticated>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, t.id AS token_id, t.last_used_at FROM api_tokens t
             JOIN users u ON u.id = t.user_id JOIN organizations o ON o.id = u.org_id
             WHERE t.token_hash = $1 AND t.scope = $2 AND t.revoked_at IS NULL AND u.disabled = 0
               AND o.suspended_at IS NULL"
        )))
        .bind(token_hash)
        .bind(scope.to_string())
        .fetch_optional(&self.read)
        .await?;
        row.map(|row| {
            Ok(Authenticated {
                user: user(&row)?,
                token_id: Some(guid(&row, "token_id")?),
                last_used_at: opt_time(&row, "last_used_at")?,
                csrf_token: None,
            })
        })
        .transpose()
    }

    pub async fn touch_api_token(&self, token_id: Guid, at: Timestamp) -> Result<(), StoreError> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(token_id.to_string())
            .bind(micros(at))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn api_tokens_of(&self, user_id: Guid) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens
             WHERE user_id = $1 ORDER BY created_at DESC, id",
        )
        .bind(user_id.to_string())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ApiToken {
                    id: guid(row, "id")?,
                    user_id: guid(row, "user_id")?,
                    name: text(row, "name")?,
                    scope: word(row, "scope")?,
                    created_at: time(row, "created_at")?,
                    last_used_at: opt_time(row, "last_used_at")?,
                    revoked_at: opt_time(row, "revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes one of a user's tokens; `NotFound` if the user has no such live token.
    pub async fn revoke_api_token(
        &self,
        user_id: Guid,
        token_id: Guid,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        )
        .bind(token_id.to_string())
        .bind(user_id.to_string())
        .bind(micros(audit.at))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes sessions that expired at or before `now`; returns how many.
    pub async fn purge_sessions(&self, now: Timestamp) -> Result<u64, StoreError> {
        self.delete_up_to("DELETE FROM sessions WHERE expires_at <= $1", now)
            .await
    }

    pub async fn insert_session(
        &self,
        id_hash: &str,
        user_id: Guid,
        csrf_token: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(user_id.to_string())
        .bind(csrf_token)
        .bind(micros(at))
        .bind(micros(expires_at))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The enabled user behind a live session.
    pub async fn session_owner(
        &self,
        id_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Authenticated>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, s.csrf_token FROM sessions s
             JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = 0
               AND o.suspended_at IS NULL"
        )))
        .bind(id_hash)
        .bind(micros(now))
        .fetch_optional(&self.read)
        .await?;
        row.map(|row| {
            Ok(Authenticated {
                user: user(&row)?,
                token_id: None,
                last_used_at: None,
                csrf_token: Some(text(&row, "csrf_token")?),
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
