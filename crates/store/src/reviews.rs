//! Escalation reviews: one row per reviewed request (see `partnerdesk_domain::review`).

use partnerdesk_domain::{
    Guid, RequestId,
    review::{Review, Signed},
};
use sqlx::any::AnyRow;

use crate::{
    AuditEntry, Store, StoreError, audit,
    rows::{guid, int, micros, opt_guid, opt_text, opt_time, opt_word, text, time, word},
};

fn signed(
    row: &AnyRow,
    by: &str,
    name: &str,
    at: &str,
    comment: &str,
) -> Result<Option<Signed>, StoreError> {
    Ok(match (opt_guid(row, by)?, opt_time(row, at)?) {
        (Some(by), Some(at)) => Some(Signed {
            by,
            by_name: opt_text(row, name)?.unwrap_or_default(),
            at,
            comment: opt_text(row, comment)?,
        }),
        _ => None,
    })
}

fn review(row: &AnyRow) -> Result<Review, StoreError> {
    let decision = match (
        opt_word(row, "outcome")?,
        signed(
            row,
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_comment",
        )?,
    ) {
        (Some(outcome), Some(signed)) => Some((outcome, signed)),
        _ => None,
    };
    Ok(Review {
        verdict: word(row, "verdict")?,
        reason: opt_word(row, "reason")?,
        reviewed: Signed {
            by: guid(row, "reviewed_by")?,
            by_name: text(row, "reviewed_by_name")?,
            at: time(row, "reviewed_at")?,
            comment: opt_text(row, "comment")?,
        },
        dispute: signed(
            row,
            "disputed_by",
            "disputed_by_name",
            "disputed_at",
            "dispute_comment",
        )?,
        decision,
    })
}

/// A signed step's columns: by, name, at, comment.
fn parts(s: Option<&Signed>) -> (Option<String>, Option<String>, Option<i64>, Option<String>) {
    (
        s.map(|s| s.by.to_string()),
        s.map(|s| s.by_name.clone()),
        s.map(|s| micros(s.at)),
        s.and_then(|s| s.comment.clone()),
    )
}

impl Store {
    /// A request's review and its version, if reviewed.
    pub async fn review(&self, request_id: RequestId) -> Result<Option<(Review, i64)>, StoreError> {
        let row = sqlx::query("SELECT * FROM escalation_reviews WHERE request_id = $1")
            .bind(request_id.get())
            .fetch_optional(&self.read)
            .await?;
        row.map(|row| Ok((review(&row)?, int(&row, "version")?)))
            .transpose()
    }

    /// Writes a review: a new one (`read_version` None) or one read at `read_version`
    /// (`Concurrent` if it changed since, or appeared). The request's version moves on too: its
    /// representation changed.
    pub async fn save_review(
        &self,
        request_id: RequestId,
        partner_id: Guid,
        review: &Review,
        read_version: Option<i64>,
        history: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let (d_by, d_name, d_at, d_comment) = parts(review.dispute.as_ref());
        let (x_by, x_name, x_at, x_comment) = parts(review.decision.as_ref().map(|(_, s)| s));
        let sql = match read_version {
            None => {
                "INSERT INTO escalation_reviews (request_id, partner_id, verdict, reason, comment,
                   reviewed_by, reviewed_by_name, reviewed_at, disputed_by, disputed_by_name,
                   disputed_at, dispute_comment, outcome, decided_by, decided_by_name, decided_at,
                   decision_comment, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18 + 1)
                 ON CONFLICT (request_id) DO NOTHING"
            }
            Some(_) => {
                "UPDATE escalation_reviews SET partner_id = $2, verdict = $3, reason = $4,
                   comment = $5, reviewed_by = $6, reviewed_by_name = $7, reviewed_at = $8,
                   disputed_by = $9, disputed_by_name = $10, disputed_at = $11,
                   dispute_comment = $12, outcome = $13, decided_by = $14, decided_by_name = $15,
                   decided_at = $16, decision_comment = $17, version = version + 1
                 WHERE request_id = $1 AND version = $18"
            }
        };
        let done = sqlx::query(sql)
            .bind(request_id.get())
            .bind(partner_id.to_string())
            .bind(review.verdict.to_string())
            .bind(review.reason.map(|r| r.to_string()))
            .bind(review.reviewed.comment.clone())
            .bind(review.reviewed.by.to_string())
            .bind(review.reviewed.by_name.clone())
            .bind(micros(review.reviewed.at))
            .bind(d_by)
            .bind(d_name)
            .bind(d_at)
            .bind(d_comment)
            .bind(review.outcome().map(|o| o.to_string()))
            .bind(x_by)
            .bind(x_name)
            .bind(x_at)
            .bind(x_comment)
            .bind(read_version.unwrap_or(0))
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Concurrent);
        }
        sqlx::query("UPDATE service_requests SET version = version + 1 WHERE id = $1")
            .bind(request_id.get())
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, history).await?;
        tx.commit().await?;
        Ok(())
    }
}
