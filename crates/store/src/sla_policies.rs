//! The SLA policy as written by the operator's admin (one, `default`), kept as its JSON spec.

use jiff::Timestamp;

use crate::{AuditEntry, Store, StoreError, audit, rows::micros};

impl Store {
    /// The written policy's JSON spec, if an admin wrote one.
    pub async fn sla_policy_spec(&self) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT spec FROM sla_policies WHERE id = 'default'")
                .fetch_optional(&self.read)
                .await?,
        )
    }

    /// Writes the policy's spec, with its history event.
    pub async fn save_sla_policy_spec(
        &self,
        spec: &str,
        at: Timestamp,
        changed: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO sla_policies (id, spec, updated_at) VALUES ('default', $1, $2)
             ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at",
        )
        .bind(spec)
        .bind(micros(at))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, changed).await?;
        tx.commit().await?;
        Ok(())
    }
}
