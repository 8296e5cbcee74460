//! The "before you submit" matching: given a customer, one of its services and the partner's
//! words so far, the open incidents that reach that customer and service, and the published
//! articles that share the most terms with the words (in any language; the reader's first).

use partnerdesk_domain::{
    ContentLocale, FieldError, Guid, fields,
    fields::limits,
    search_terms::{MAX_QUERY_TERMS, search_terms},
};
use partnerdesk_store::{Article, Incident, IncidentFilter, IncidentScope};

use crate::{Actor, App, AppError, Result, policy};

/// How many articles the matching returns.
const ARTICLES: i64 = 10;

pub struct SelfHelp {
    pub incidents: Vec<Incident>,
    /// Each with how many of the query's terms it shares, the most first.
    pub articles: Vec<(Article, i64)>,
}

impl App {
    pub async fn self_help(
        &self,
        actor: &Actor,
        customer_id: Guid,
        service_id: Option<&str>,
        words: Option<&str>,
        locale: ContentLocale,
    ) -> Result<SelfHelp> {
        policy::incident_scope(actor)?;
        if !policy::may_read_articles(actor) {
            return Err(AppError::Forbidden);
        }
        self.customer(actor, customer_id).await?;
        let service_id = fields::required_text("serviceId", service_id, limits::SHORT)?;
        if !self
            .store
            .managed_services(customer_id)
            .await?
            .iter()
            .any(|s| s.id == service_id)
        {
            return Err(
                FieldError::invalid("serviceId", "not one of the customer's services").into(),
            );
        }
        let words = fields::optional_text("q", words, limits::DESCRIPTION)?.unwrap_or_default();
        let mut terms = search_terms(&words);
        terms.truncate(MAX_QUERY_TERMS);
        let open_here = IncidentFilter {
            service_id: Some(service_id.clone()),
            open: Some(true),
            since: None,
        };
        // Independent reads: asked at once, so the partner waits for the slower one only.
        let (incidents, articles) = tokio::try_join!(
            self.store
                .list_incidents(IncidentScope::Customer(customer_id), &open_here, 0, 20),
            self.store
                .match_articles(&service_id, &terms, locale, ARTICLES),
        )?;
        Ok(SelfHelp {
            incidents: incidents.items,
            articles,
        })
    }
}
