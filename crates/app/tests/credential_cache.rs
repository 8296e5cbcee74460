//! Two nodes over one database: a token revoked on one stops at once there, and on the other
//! once what it remembered about the token has expired.

mod common;

use jiff::SignedDuration;
use partnerdesk_app::{AppError, credential_cache::LIFETIME, demo, store::testing};

#[tokio::test]
async fn a_revoked_token_stops_at_once_here_and_within_the_cache_lifetime_elsewhere() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.expect("database");
        let clock = common::start_clock();
        let here = common::node(&url, clock.clone()).await;
        demo::seed(&here).await.expect("seed");
        let elsewhere = common::node(&url, clock.clone()).await;

        let issued = here
            .create_token_for_email("agent@contoso.example", "test")
            .await
            .unwrap();
        let owner = elsewhere.token_actor(&issued.secret).await.unwrap();
        assert_eq!(owner.user.email, "agent@contoso.example");
        let actor = here.token_actor(&issued.secret).await.unwrap();

        here.revoke_token(&actor, issued.token.id).await.unwrap();
        assert!(matches!(
            here.token_actor(&issued.secret).await,
            Err(AppError::Unauthenticated)
        ));
        // The other node still trusts what it read a moment ago…
        clock.advance(LIFETIME - SignedDuration::from_secs(1));
        assert!(elsewhere.token_actor(&issued.secret).await.is_ok());
        // …and asks the database again once that is older than the lifetime.
        clock.advance(SignedDuration::from_secs(1));
        assert!(matches!(
            elsewhere.token_actor(&issued.secret).await,
            Err(AppError::Unauthenticated)
        ));
        // An unknown token is never remembered as valid.
        assert!(matches!(
            elsewhere.token_actor("pd_not-a-token").await,
            Err(AppError::Unauthenticated)
        ));
    }
}
