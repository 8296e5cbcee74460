//! Services (products) and their support topics.

use partnerdesk_domain::Category;
use sqlx::any::AnyRow;

use crate::{
    AuditEntry, Service, Store, StoreError, SupportTopic,
    request_query::Bind,
    rows::{Columns, text, word},
};

pub(crate) fn service(row: &AnyRow) -> Result<Service, StoreError> {
    Ok(Service {
        id: text(row, "id")?,
        name: text(row, "name")?,
        admin_url_template: text(row, "admin_url_template")?,
    })
}

fn topic(row: &(impl Columns + ?Sized)) -> Result<SupportTopic, StoreError> {
    Ok(SupportTopic {
        id: text(row, "id")?,
        service_id: text(row, "service_id")?,
        name: text(row, "name")?,
        description: text(row, "description")?,
        category: word::<Category>(row, "category")?,
    })
}

impl Store {
    /// Creates or changes a service (idempotent by id), with its audit event.
    pub async fn put_service(
        &self,
        service: &Service,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO services (id, name, admin_url_template, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, admin_url_template = excluded.admin_url_template",
        )
        .bind(&service.id)
        .bind(&service.name)
        .bind(&service.admin_url_template)
        .bind(crate::rows::micros(audit.at))
        .execute(&mut *tx)
        .await?;
        crate::audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        self.names.forget_all();
        Ok(())
    }

    /// The regions of the cloud, by id.
    pub async fn regions(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as("SELECT id, name FROM regions ORDER BY id")
            .fetch_all(&self.read)
            .await?)
    }

    /// Creates or renames a region of the cloud (idempotent by id).
    pub async fn put_region(&self, id: &str, name: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO regions (id, name) VALUES ($1, $2)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        )
        .bind(id)
        .bind(name)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Creates or changes a support topic (idempotent by id), with its audit event.
    pub async fn put_topic(
        &self,
        topic: &SupportTopic,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO support_topics (id, service_id, name, description, category) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id, name = excluded.name,
               description = excluded.description, category = excluded.category",
        )
        .bind(&topic.id)
        .bind(&topic.service_id)
        .bind(&topic.name)
        .bind(&topic.description)
        .bind(topic.category.to_string())
        .execute(&mut *tx)
        .await?;
        crate::audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        self.names.forget_all();
        Ok(())
    }

    pub async fn services(&self) -> Result<Vec<Service>, StoreError> {
        let rows = sqlx::query("SELECT id, name, admin_url_template FROM services ORDER BY name")
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(service).collect()
    }

    pub async fn service(&self, id: &str) -> Result<Service, StoreError> {
        let row = sqlx::query("SELECT id, name, admin_url_template FROM services WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        service(&row)
    }

    /// Support topics, of one service or all, by service then name.
    pub async fn topics(&self, service_id: Option<&str>) -> Result<Vec<SupportTopic>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, service_id, name, description, category FROM support_topics
             WHERE ($1 IS NULL OR service_id = $1) ORDER BY service_id, name",
        )
        .bind(service_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(topic).collect()
    }

    pub async fn topic(&self, id: &str) -> Result<SupportTopic, StoreError> {
        // On the hot reads' pool: every request filed names its topic.
        self.read_row(
            "SELECT id, service_id, name, description, category FROM support_topics WHERE id = $1"
                .to_string(),
            &[Bind::Text(id.to_string())],
            |row| topic(row),
        )
        .await
    }
}
