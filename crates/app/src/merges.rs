//! Merging a duplicate: the operator's people close a request that repeats another one the
//! operator holds for the same partner, pointing it at the one worked instead. The duplicate's
//! history says so; the other request lists its duplicates (read from the pointers, so the two
//! can never disagree).

use partnerdesk_domain::{Action, FieldError, RequestId, State, Tier, fields, fields::limits};
use partnerdesk_store::{ServiceRequest, StoreError};

use crate::{
    Actor, App, AppError, Result, policy,
    requests::{RequestView, public_note},
};

impl App {
    /// Merges request `id` into request `into`, with an optional public note to the partner.
    pub async fn merge_request(
        &self,
        actor: &Actor,
        id: &str,
        into: &str,
        note: Option<&str>,
    ) -> Result<RequestView> {
        let note = fields::optional_text("note", note, limits::NOTE)?;
        // Who may merge is answered before what it would merge into.
        policy::check_merge(actor, &self.visible_request(actor, id).await?)?;
        let primary = self.merge_target(actor, into).await?;
        let now = self.now();
        self.change_request(actor, id, None, |request, added, history| {
            policy::check_merge(actor, request)?;
            let refusal = if primary.id == request.id {
                Some("the same request")
            } else if primary.partner_id != request.partner_id {
                Some("a request of another partner")
            } else if primary.state == State::Closed {
                Some("a closed request")
            } else if primary.tier != Tier::Operator {
                Some("a request the operator does not hold")
            } else {
                None
            };
            if let Some(reason) = refusal {
                return Err(FieldError::invalid("into", reason).into());
            }
            self.move_request(actor, request, Action::Close, None, history)?;
            request.merged_into = Some(primary.id);
            if let Some(body) = &note {
                added.notes.push(public_note(actor, body, now));
            }
            history.push(self.history(
                actor,
                request,
                "merged",
                serde_json::json!({ "into": primary.id.to_string() }),
            ));
            Ok(())
        })
        .await
    }

    /// The request a duplicate goes into: one the actor sees (else it is "no such request").
    async fn merge_target(&self, actor: &Actor, into: &str) -> Result<ServiceRequest> {
        let missing = || AppError::from(FieldError::invalid("into", "no such request"));
        let id = into
            .trim()
            .trim_start_matches('#')
            .parse::<RequestId>()
            .map_err(|_| missing())?;
        let primary = match self.store.request(id).await {
            Ok(found) => found,
            Err(StoreError::NotFound) => return Err(missing()),
            Err(e) => return Err(e.into()),
        };
        policy::check_can_see(actor, &primary).map_err(|_| missing())?;
        Ok(primary)
    }

    /// The requests merged into this one, for those who see it.
    pub async fn merged_duplicates(&self, actor: &Actor, id: &str) -> Result<Vec<RequestId>> {
        let request = self.visible_request(actor, id).await?;
        Ok(self.store.merged_into(request.id).await?)
    }
}
