//! The store's conformance suite: the same assertions on every engine (SQLite always,
//! PostgreSQL when PARTNERDESK_TEST_DATABASE_URL is set).

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::{
    Category, ContentLocale, Guid, IncidentKind, IncidentStatus, NoteVisibility, OrgKind,
    PublicSeverity, RequestId, RequestKind, Role, Severity, State, Tier, sla::SlaClock,
};
use partnerdesk_store::{
    AuditEntry, Contact, Created, Cursor, Engine, IdempotencyKey, Incident, IncidentFields,
    IncidentFilter, IncidentScope, IncidentText, NewIncidentUpdate, NewNote, NewRequest, NewUser,
    Organization, Page, Reach, RequestFilter, RequestScope, RequestSla, RequestSort, Service,
    SlaMark, Store, StoreError, SupportTopic, testing,
};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_780_000_000 + seconds).unwrap()
}

fn audit(entity: &'static str, id: impl ToString) -> AuditEntry {
    AuditEntry {
        at: at(0),
        actor_id: None,
        actor_name: "test".into(),
        org_id: None,
        entity,
        entity_id: id.to_string(),
        action: "created".into(),
        detail: serde_json::json!({}),
    }
}

fn org(kind: OrgKind, name: &str, domain: Option<&str>) -> Organization {
    Organization {
        id: Guid::from_name(name),
        kind,
        name: name.into(),
        domain: domain.map(Into::into),
        country: Some("CN".into()),
        phone: None,
        time_zone: None,
        created_at: at(0),
        suspended_at: None,
    }
}

struct World {
    partner: Guid,
    other_partner: Guid,
    customers: Vec<Guid>,
    user: Guid,
    operator: Guid,
}

async fn world(store: &Store) -> World {
    let operator = org(OrgKind::Operator, "Fabrikam Cloud", None);
    let partner = org(OrgKind::Partner, "Contoso", None);
    let other = org(OrgKind::Partner, "Tailspin", None);
    for o in [&operator, &partner, &other] {
        store
            .insert_organization(o, &audit("organization", o.id))
            .await
            .unwrap();
    }
    let mut customers = vec![];
    for (name, domain) in [
        ("北京云科技有限公司", "bjcloud.cn"),
        ("ООО Ромашка", "romashka.ru"),
        ("Adventure Works", "adventure.example"),
    ] {
        let c = org(OrgKind::Customer, name, Some(domain));
        store
            .insert_organization(&c, &audit("organization", c.id))
            .await
            .unwrap();
        store
            .insert_relationship(partner.id, c.id, true, &audit("relationship", c.id))
            .await
            .unwrap();
        customers.push(c.id);
    }
    store
        .put_service(
            &Service {
                id: "office365".into(),
                name: "Office 365".into(),
                admin_url_template: "https://admin/{tenantId}".into(),
            },
            &audit("service", "office365"),
        )
        .await
        .unwrap();
    store
        .put_topic(
            &SupportTopic {
                id: "o365-mail".into(),
                service_id: "office365".into(),
                name: "Mail flow".into(),
                description: "Mail".into(),
                category: Category::Technical,
            },
            &audit("support_topic", "o365-mail"),
        )
        .await
        .unwrap();
    let user = store
        .insert_user(
            &NewUser {
                id: Guid::from_name("agent"),
                org_id: partner.id,
                email: "agent@contoso.example",
                name: "Agent",
                role: Role::AdminAgent,
                password_hash: None,
                locale: None,
                phone: None,
                at: at(0),
            },
            &audit("user", "agent"),
        )
        .await
        .unwrap();
    World {
        partner: partner.id,
        other_partner: other.id,
        customers,
        user: user.id,
        operator: operator.id,
    }
}

fn new_request(
    w: &World,
    customer: usize,
    title: &str,
    description: &str,
    second: i64,
) -> NewRequest {
    NewRequest {
        kind: RequestKind::Customer,
        partner_id: w.partner,
        customer_id: Some(w.customers[customer]),
        service_id: Some("office365".into()),
        topic_id: Some("o365-mail".into()),
        category: Category::Technical,
        title: title.into(),
        description: description.into(),
        severity: if second % 2 == 0 {
            Severity::Critical
        } else {
            Severity::Minimal
        },
        state: State::Escalated,
        tier: Tier::Operator,
        holder_org_id: w.operator,
        escalation_criterion: None,
        troubleshooting: None,
        escalation_incomplete: true,
        contact: Contact {
            email: Some("agent@contoso.example".into()),
            ..Contact::default()
        },
        country_code: Some("CN".into()),
        agent_locale: "zh-CN".into(),
        created_by: w.user,
        last_updated_by: "Agent".into(),
        at: at(second),
        sla: RequestSla {
            clock: Some(SlaClock::start(at(second))),
            due_at: Some(at(second + 7200)),
            warn_at: Some(at(second + 5400)),
            ..RequestSla::default()
        },
    }
}

async fn for_each_engine<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for engine in testing::engines() {
        let store = testing::fresh_store(engine).await;
        test(store).await;
    }
}

#[tokio::test]
async fn migrations_are_idempotent() {
    for_each_engine(|store| async move {
        store.migrate().await.unwrap();
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn create_read_and_history() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        let id = store
            .create_request_with_history(
                &new_request(&w, 0, "邮件无法发送", "Exchange 邮件 stuck", 1),
                &audit("service_request", "?"),
                None,
            )
            .await
            .unwrap()
            .id();
        let r = store.request(id).await.unwrap();
        assert_eq!(r.title, "邮件无法发送");
        assert_eq!(r.organization_name, "北京云科技有限公司");
        assert_eq!(r.partner_name, "Contoso");
        assert_eq!(r.service_name.as_deref(), Some("Office 365"));
        assert_eq!(r.topic_name.as_deref(), Some("Mail flow"));
        assert_eq!(
            (r.state, r.tier, r.severity),
            (State::Escalated, Tier::Operator, Severity::Minimal)
        );
        assert_eq!(r.escalated_at, Some(at(1)));
        assert!(r.escalation_incomplete);
        assert_eq!(r.version, 1);
        let history = store
            .audit_events("service_request", &id.to_string())
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].entity_id, id.to_string());
    })
    .await;
}

#[tokio::test]
async fn a_renamed_customer_service_or_topic_shows_at_once_on_its_requests() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        let id = store
            .create_request_with_history(
                &new_request(&w, 2, "Mail stuck", "Exchange", 1),
                &audit("service_request", "?"),
                None,
            )
            .await
            .unwrap()
            .id();
        // Read once, so that the names (and the request, on its page) are remembered.
        assert_eq!(
            partner_page(&store, &w).await.items[0].partner_name,
            "Contoso"
        );
        let before = store.request_with_notes(id, true).await.unwrap().request;
        assert_eq!(
            (before.organization_name.as_str(), before.organization_phone),
            ("Adventure Works", None)
        );
        let mut customer = store.organization(w.customers[2]).await.unwrap();
        customer.name = "Adventure Works Cycles".into();
        customer.phone = Some("+1 425 555 0100".into());
        store
            .update_organization(&customer, &audit("organization", customer.id))
            .await
            .unwrap();
        let service = Service {
            id: "office365".into(),
            name: "Microsoft 365".into(),
            admin_url_template: "https://admin/{tenantId}".into(),
        };
        store
            .put_service(&service, &audit("service", "office365"))
            .await
            .unwrap();
        let topic = SupportTopic {
            id: "o365-mail".into(),
            service_id: "office365".into(),
            name: "Mail delivery".into(),
            description: "Mail".into(),
            category: Category::Technical,
        };
        store
            .put_topic(&topic, &audit("support_topic", "o365-mail"))
            .await
            .unwrap();
        let page = partner_page(&store, &w).await;
        for r in [store.request(id).await.unwrap(), page.items[0].clone()] {
            assert_eq!(r.organization_name, "Adventure Works Cycles");
            assert_eq!(r.organization_phone.as_deref(), Some("+1 425 555 0100"));
            assert_eq!(r.partner_name, "Contoso");
            assert_eq!(r.service_name.as_deref(), Some("Microsoft 365"));
            assert_eq!(r.topic_name.as_deref(), Some("Mail delivery"));
        }
    })
    .await;
}

/// The first page of the partner's requests, newest first.
async fn partner_page(store: &Store, w: &World) -> Page<partnerdesk_store::ServiceRequest> {
    let page = shared_partner_page(store, w).await;
    Page {
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(std::sync::Arc::unwrap_or_clone)
            .collect(),
    }
}

/// `partner_page` as the store hands it out: requests shared with its cache.
async fn shared_partner_page(
    store: &Store,
    w: &World,
) -> Page<std::sync::Arc<partnerdesk_store::ServiceRequest>> {
    store
        .list_requests(
            &RequestScope {
                partner_id: Some(w.partner),
                ..RequestScope::default()
            },
            &RequestFilter::default(),
            RequestSort::CreatedDesc,
            None,
            0,
            25,
        )
        .await
        .unwrap()
}

/// A page read again, nothing changed, hands out the very requests the cache holds: no copy.
#[tokio::test]
async fn a_page_read_again_shares_the_remembered_requests() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        for second in 0..3 {
            let new = new_request(&w, 0, "Mail stuck", "d", second);
            let history = audit("service_request", "");
            store
                .create_request_with_history(&new, &history, None)
                .await
                .unwrap();
        }
        let first = shared_partner_page(&store, &w).await.items;
        let again = shared_partner_page(&store, &w).await.items;
        assert_eq!(first.len(), 3);
        assert_eq!(first, again);
        assert!(
            first
                .iter()
                .zip(&again)
                .all(|(a, b)| std::sync::Arc::ptr_eq(a, b))
        );
    })
    .await;
}

#[tokio::test]
async fn a_page_of_requests_shows_every_change_whichever_node_made_it() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.unwrap();
        let connect = || async {
            let store = Store::connect(&partnerdesk_store::ConnectOptions::new(url.clone()))
                .await
                .unwrap();
            store.migrate().await.unwrap();
            store
        };
        let (here, elsewhere) = (connect().await, connect().await);
        let w = world(&here).await;
        let mut ids = vec![];
        for (second, title) in [(1, "Mail stuck"), (2, "Login fails")] {
            let new = new_request(&w, 0, title, "d", second);
            let history = audit("service_request", "");
            let created = here.create_request_with_history(&new, &history, None);
            ids.push(created.await.unwrap().id());
        }
        let fresh = || async {
            let mut fresh = vec![];
            for id in ids.iter().rev() {
                fresh.push(here.request(*id).await.unwrap());
            }
            fresh
        };
        // Read (and remembered) as created.
        assert_eq!(partner_page(&here, &w).await.items, fresh().await);

        // Another node changes one and marks both breached: this node's page shows it all.
        let mut change = elsewhere.request_for_update(ids[0]).await.unwrap();
        change.title = "Mail stuck since Monday".into();
        change.state = State::InProgress;
        elsewhere.save_request(&change, &[], &[]).await.unwrap();
        let marked = elsewhere
            .mark_sla(SlaMark::Breached, at(99_999), |id| {
                audit("service_request", id)
            })
            .await
            .unwrap();
        assert_eq!(marked.len(), 2);
        let page = partner_page(&here, &w).await.items;
        assert_eq!(page, fresh().await);
        assert_eq!(
            page.iter()
                .map(|r| (
                    r.title.as_str(),
                    r.state,
                    r.version,
                    r.sla.breached_at.is_some()
                ))
                .collect::<Vec<_>>(),
            [
                ("Login fails", State::Escalated, 2, true),
                ("Mail stuck since Monday", State::InProgress, 3, true)
            ]
        );
        // Read again, unchanged: the same.
        assert_eq!(partner_page(&here, &w).await.items, page);
    }
}

#[tokio::test]
async fn optimistic_concurrency_and_notes() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        let id = store
            .create_request_with_history(
                &new_request(&w, 1, "t", "d", 1),
                &audit("service_request", ""),
                None,
            )
            .await
            .unwrap()
            .id();
        let first = store.request(id).await.unwrap();
        let mut change = first.clone();
        change.state = State::InProgress;
        change.modified_at = at(5);
        let notes = [
            NewNote {
                author_id: w.user,
                author_name: "A".into(),
                visibility: NoteVisibility::Public,
                body: "public".into(),
                at: at(5),
            },
            NewNote {
                author_id: w.user,
                author_name: "A".into(),
                visibility: NoteVisibility::Internal,
                body: "internal".into(),
                at: at(5),
            },
        ];
        assert_eq!(
            store
                .save_request(&change, &notes, &[audit("service_request", id)])
                .await
                .unwrap(),
            2
        );
        // A second writer that read version 1 loses.
        let mut stale = first.clone();
        stale.title = "lost".into();
        assert!(matches!(
            store.save_request(&stale, &[], &[]).await,
            Err(StoreError::Concurrent)
        ));
        let now = store.request(id).await.unwrap();
        assert_eq!(
            (now.state, now.title.as_str(), now.version),
            (State::InProgress, "t", 2)
        );
        let read = store.request_with_notes(id, false).await.unwrap();
        assert_eq!(read.request, now);
        assert_eq!(
            read.notes
                .iter()
                .map(|n| n.body.as_str())
                .collect::<Vec<_>>(),
            ["public"]
        );
        assert!(!read.has_files && !read.has_review);
        let all = store.request_with_notes(id, true).await.unwrap().notes;
        assert_eq!(
            all.iter().map(|n| n.visibility).collect::<Vec<_>>(),
            [NoteVisibility::Public, NoteVisibility::Internal],
            "oldest first"
        );
        let bare = store
            .create_request_with_history(
                &new_request(&w, 1, "no notes", "d", 2),
                &audit("service_request", ""),
                None,
            )
            .await
            .unwrap()
            .id();
        let read = store.request_with_notes(bare, true).await.unwrap();
        assert_eq!((read.request.id, read.notes.len()), (bare, 0));
        assert!(matches!(
            store
                .request_with_notes(RequestId::new(999_999).unwrap(), true)
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store
                .audit_events("service_request", &id.to_string())
                .await
                .unwrap()
                .len(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn listing_scopes_filters_search_and_keyset_paging() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        let texts = [
            ("邮件无法发送", "Exchange Online 邮件延迟"),
            ("Не работает почта", "Пользователи не получают письма"),
            ("Mailbox quota exceeded", "Users cannot receive mail"),
            ("Teams 会议 crashes", "Meeting drops after 5 minutes"),
        ];
        for i in 0..12i64 {
            let (title, description) = texts[(i % 4) as usize];
            store
                .create_request_with_history(
                    &new_request(&w, (i % 3) as usize, title, description, i),
                    &audit("service_request", ""),
                    None,
                )
                .await
                .unwrap()
                .id();
        }
        let all = RequestScope::default();
        let none = RequestFilter::default();
        let page = store
            .list_requests(&all, &none, RequestSort::CreatedDesc, None, 0, 5)
            .await
            .unwrap();
        assert_eq!(page.total, 12);
        assert_eq!(page.items.len(), 5);
        assert!(
            page.items
                .windows(2)
                .all(|p| p[0].created_at > p[1].created_at)
        );

        // Keyset paging visits every row once, in order, whatever the sort.
        for sort in [
            RequestSort::CreatedDesc,
            RequestSort::CreatedAsc,
            RequestSort::ModifiedDesc,
            RequestSort::Severity,
        ] {
            let mut seen = vec![];
            let mut cursor: Option<Cursor> = None;
            loop {
                let page = store
                    .list_requests(&all, &none, sort, cursor, 0, 5)
                    .await
                    .unwrap();
                if page.items.is_empty() {
                    break;
                }
                cursor = Some(sort.cursor_after(page.items.last().unwrap()));
                seen.extend(page.items.iter().map(|r| (r.severity.rank(), r.id)));
            }
            assert_eq!(seen.len(), 12, "{sort:?}");
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 12, "{sort:?}");
            if sort == RequestSort::Severity {
                assert!(
                    seen.windows(2)
                        .all(|p| p[0].0 < p[1].0 || (p[0].0 == p[1].0 && p[0].1 > p[1].1))
                );
            }
        }

        // Scopes: another partner sees nothing; a customer sees only its own.
        let other = RequestScope {
            partner_id: Some(w.other_partner),
            ..Default::default()
        };
        assert_eq!(
            store
                .list_requests(&other, &none, RequestSort::default(), None, 0, 25)
                .await
                .unwrap()
                .total,
            0
        );
        let customer = RequestScope {
            customer_id: Some(w.customers[1]),
            ..Default::default()
        };
        let page = store
            .list_requests(&customer, &none, RequestSort::default(), None, 0, 25)
            .await
            .unwrap();
        assert_eq!(page.total, 4);
        assert!(
            page.items
                .iter()
                .all(|r| r.customer_id == Some(w.customers[1]) && customer.contains(r))
        );

        // Full text in three scripts, long and short terms, any letter case.
        for (query, expected) in [
            (vec!["邮件"], 3),
            (vec!["无法发送"], 3),
            (vec!["почта"], 3),
            (vec!["ПОЧТА"], 3),
            (vec!["письма"], 3),
            (vec!["mailbox"], 3),
            (vec!["MAIL"], 3),
            (vec!["会议", "meeting"], 3),
            (vec!["nothing-like-this"], 0),
            (vec!["50%"], 0),
        ] {
            let filter = RequestFilter {
                text: query.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            };
            let page = store
                .list_requests(&all, &filter, RequestSort::default(), None, 0, 25)
                .await
                .unwrap();
            assert_eq!(page.total, expected, "{query:?} on {:?}", store.engine());
            assert_eq!(page.items.len() as i64, expected);
        }

        // Filters combine.
        let filter = RequestFilter {
            states: vec![State::Escalated],
            severity: Some(Severity::Critical),
            customer_id: Some(w.customers[0]),
            service_id: Some("office365".into()),
            created_after: Some(at(3)),
            created_before: Some(at(10)),
            ..Default::default()
        };
        let page = store
            .list_requests(&all, &filter, RequestSort::default(), None, 0, 25)
            .await
            .unwrap();
        let expected: Vec<i64> = (3..10).filter(|i| i % 2 == 0 && i % 3 == 0).collect();
        assert_eq!(page.total as usize, expected.len());
        assert!(
            page.items
                .iter()
                .all(|r| r.severity == Severity::Critical && r.created_at >= at(3))
        );
    })
    .await;
}

#[tokio::test]
async fn customer_search_matches_any_script_and_case() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        for (q, name) in [
            ("ромашка", "ООО Ромашка"),
            ("北京", "北京云科技有限公司"),
            ("ADVENTURE.EX", "Adventure Works"),
        ] {
            let page = store
                .customers_of_partner(w.partner, Some(q), 0, 25)
                .await
                .unwrap();
            assert_eq!(
                page.items
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>(),
                [name],
                "{q}"
            );
        }
        let by_tenant = store
            .customers_of_partner(w.partner, Some(&w.customers[0].to_string()), 0, 25)
            .await
            .unwrap();
        assert_eq!(by_tenant.total, 1);
        assert_eq!(
            store
                .customers_of_partner(w.other_partner, None, 0, 25)
                .await
                .unwrap()
                .total,
            0
        );
        assert_eq!(
            store
                .customers_of_partner(w.partner, Some("%"), 0, 25)
                .await
                .unwrap()
                .total,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn tokens_sessions_idempotency_and_rate_limits() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        let token = partnerdesk_store::ApiToken {
            id: Guid::new_random(),
            user_id: w.user,
            name: "cli".into(),
            scope: partnerdesk_domain::TokenScope::Api,
            created_at: at(0),
            last_used_at: None,
            revoked_at: None,
        };
        store
            .insert_api_token(&token, "hash-1", &audit("api_token", token.id))
            .await
            .unwrap();
        assert_eq!(
            store
                .token_owner("hash-1", partnerdesk_domain::TokenScope::Api)
                .await
                .unwrap()
                .unwrap()
                .user
                .id,
            w.user
        );
        assert!(
            store
                .token_owner("hash-2", partnerdesk_domain::TokenScope::Api)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .token_owner("hash-1", partnerdesk_domain::TokenScope::Feed)
                .await
                .unwrap()
                .is_none(),
            "an API token is not a feed token"
        );
        store
            .revoke_api_token(w.user, token.id, &audit("api_token", token.id))
            .await
            .unwrap();
        assert!(
            store
                .token_owner("hash-1", partnerdesk_domain::TokenScope::Api)
                .await
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            store
                .revoke_api_token(w.user, token.id, &audit("api_token", token.id))
                .await,
            Err(StoreError::NotFound)
        ));

        store
            .insert_session("s1", w.user, "csrf", at(0), at(60))
            .await
            .unwrap();
        assert_eq!(
            store
                .session_owner("s1", at(30))
                .await
                .unwrap()
                .unwrap()
                .csrf_token
                .as_deref(),
            Some("csrf")
        );
        assert!(store.session_owner("s1", at(61)).await.unwrap().is_none());

        // Windows of a minute: the first ends at at(60), the second at at(120).
        assert_eq!(
            store.hit_rate_limit("signin:x", 1, at(60)).await.unwrap(),
            1
        );
        assert_eq!(
            store.hit_rate_limit("signin:x", 1, at(60)).await.unwrap(),
            2
        );
        assert_eq!(
            store.hit_rate_limit("signin:y", 1, at(60)).await.unwrap(),
            1
        );
        assert_eq!(
            store.hit_rate_limit("signin:x", 2, at(120)).await.unwrap(),
            1
        );
        // Only y's count is of a window over by at(60); x's runs on.
        assert_eq!(store.purge_rate_limits(at(60)).await.unwrap(), 1);
        assert_eq!(
            store.hit_rate_limit("signin:x", 2, at(120)).await.unwrap(),
            2
        );
        assert_eq!(
            store.hit_rate_limit("signin:y", 1, at(60)).await.unwrap(),
            1
        );

        let dup = store
            .insert_user(
                &NewUser {
                    id: Guid::new_random(),
                    org_id: w.partner,
                    email: "agent@contoso.example",
                    name: "x",
                    role: Role::SalesAgent,
                    password_hash: None,
                    locale: None,
                    phone: None,
                    at: at(0),
                },
                &audit("user", "x"),
            )
            .await;
        assert!(matches!(dup, Err(StoreError::Duplicate(_))));
    })
    .await;
}

#[tokio::test]
async fn an_idempotency_key_makes_one_request_even_when_creates_race() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        // `new_request(…, second)` is created at `at(second)`; keys live for an hour here.
        let key = |key: &'static str, now: i64| IdempotencyKey {
            actor_id: w.user,
            key,
            live_after: at(now) - SignedDuration::from_hours(1),
        };
        let create = |key: IdempotencyKey<'static>, second: i64| {
            let store = store.clone();
            let new = new_request(&w, 0, "key", "d", second);
            async move {
                store
                    .create_request_with_history(&new, &audit("service_request", ""), Some(&key))
                    .await
                    .unwrap()
            }
        };
        let Created::New(first) = create(key("k1", 10), 10).await else {
            panic!("the first use of a key creates");
        };
        let first = first.id;
        assert_eq!(create(key("k1", 20), 20).await, Created::Existing(first));
        assert_eq!(
            store.idempotent_request(&key("k1", 20)).await.unwrap(),
            Some(first)
        );
        // Another actor's key of the same text is its own.
        let other = IdempotencyKey {
            actor_id: w.operator,
            ..key("k1", 20)
        };
        assert!(matches!(
            store
                .create_request_with_history(
                    &new_request(&w, 0, "key", "d", 20),
                    &audit("service_request", ""),
                    Some(&other)
                )
                .await
                .unwrap(),
            Created::New(_)
        ));
        // Expired: the key is taken over by a new request.
        let later = 2 * 3600;
        let Created::New(renewed) = create(key("k1", later), later).await else {
            panic!("an expired key creates again");
        };
        assert_ne!(renewed.id, first);

        // Eight creates racing with one key: one request.
        let racing: Vec<_> = (0..8)
            .map(|_| tokio::spawn(create(key("k2", 30), 30)))
            .collect();
        let mut outcomes = vec![];
        for task in racing {
            outcomes.push(task.await.unwrap());
        }
        let made: Vec<_> = outcomes
            .iter()
            .filter(|c| matches!(c, Created::New(_)))
            .collect();
        assert_eq!(made.len(), 1, "{outcomes:?}");
        assert!(outcomes.iter().all(|c| c.id() == made[0].id()));
        let titled = store
            .list_requests(
                &RequestScope::default(),
                &RequestFilter {
                    text: vec!["key".into()],
                    ..Default::default()
                },
                Default::default(),
                None,
                0,
                50,
            )
            .await
            .unwrap();
        assert_eq!(titled.total, 4, "k1, k1 by another actor, k1 renewed, k2");
    })
    .await;
}

#[tokio::test]
async fn tallied_totals_agree_with_counting_the_requests() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        // Requests of two kinds, two categories, three customers and both partners…
        let mut ids = vec![];
        for i in 0..24i64 {
            let mut new = new_request(&w, (i % 3) as usize, "tally", "d", i);
            if i % 5 == 0 {
                new.kind = RequestKind::Partner;
                new.customer_id = None;
            }
            if i % 4 == 0 {
                new.category = Category::Billing;
            }
            if i % 7 == 0 {
                new.partner_id = w.other_partner;
            }
            if i % 3 == 0 {
                (new.state, new.tier) = (State::New, Tier::Partner);
            }
            ids.push(
                store
                    .create_request_with_history(&new, &audit("service_request", ""), None)
                    .await
                    .unwrap()
                    .id(),
            );
        }
        // …then moved on: escalated, resolved, reopened.
        for (n, id) in ids.iter().enumerate() {
            let mut change = store.request(*id).await.unwrap();
            match n % 4 {
                0 => {
                    (change.state, change.tier) = (State::Escalated, Tier::Operator);
                    change.escalated_at = Some(at(100));
                }
                1 => change.state = State::Resolved,
                2 => {
                    change.state = State::InProgress;
                    change.severity = Severity::Critical;
                }
                _ => continue,
            }
            store.save_request(&change, &[], &[]).await.unwrap();
        }

        let scopes = [
            RequestScope::default(),
            RequestScope {
                partner_id: Some(w.partner),
                ..Default::default()
            },
            RequestScope {
                partner_id: Some(w.partner),
                category: Some(Category::Billing),
                ..Default::default()
            },
            RequestScope {
                customer_id: Some(w.customers[1]),
                ..Default::default()
            },
            RequestScope {
                reached_operator: true,
                ..Default::default()
            },
        ];
        let filters = [
            RequestFilter::default(),
            RequestFilter {
                states: vec![State::Escalated, State::InProgress],
                ..Default::default()
            },
            RequestFilter {
                customer_id: Some(w.customers[0]),
                states: vec![State::Resolved],
                ..Default::default()
            },
            RequestFilter {
                tier: Some(Tier::Operator),
                kind: Some(RequestKind::Customer),
                ..Default::default()
            },
            RequestFilter {
                severity: Some(Severity::Critical),
                ..Default::default()
            },
            RequestFilter {
                severity: Some(Severity::Moderate),
                states: vec![State::New, State::Escalated],
                ..Default::default()
            },
        ];
        for scope in &scopes {
            for filter in &filters {
                assert!(filter.is_tallied());
                // Page size 1 makes the listing count; a filter on an untallied column that
                // holds for every request makes it count the rows themselves.
                let tallied = store
                    .list_requests(scope, filter, RequestSort::default(), None, 0, 1)
                    .await
                    .unwrap()
                    .total;
                let counted_filter = RequestFilter {
                    created_after: Some(at(-1)),
                    ..filter.clone()
                };
                let counted = store
                    .list_requests(scope, &counted_filter, RequestSort::default(), None, 0, 1)
                    .await
                    .unwrap()
                    .total;
                assert_eq!(tallied, counted, "{scope:?} {filter:?}");
                // The same per state, as the list's status choices count them.
                let mut by_state = store.count_requests_by_state(scope, filter).await.unwrap();
                let mut counted_by_state = store
                    .count_requests_by_state(scope, &counted_filter)
                    .await
                    .unwrap();
                by_state.retain(|(_, n)| *n > 0);
                by_state.sort_by_key(|(s, _)| partnerdesk_domain::EnumText::as_str(*s));
                counted_by_state.sort_by_key(|(s, _)| partnerdesk_domain::EnumText::as_str(*s));
                assert_eq!(by_state, counted_by_state, "{scope:?} {filter:?}");
            }
        }
        let everything = store
            .list_requests(&scopes[0], &filters[0], RequestSort::default(), None, 0, 1)
            .await
            .unwrap();
        assert_eq!(everything.total, 24);
    })
    .await;
}

#[tokio::test]
async fn tidying_the_search_index_merges_it_and_keeps_every_match() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        for i in 0..60i64 {
            store
                .create_request_with_history(
                    &new_request(&w, 0, &format!("邮件 мыло mail {i:03}"), "d", i),
                    &audit("service_request", ""),
                    None,
                )
                .await
                .unwrap();
        }
        let steps = store.tidy_search_index(100).await.unwrap();
        if store.engine() == Engine::Sqlite {
            assert!(steps > 0, "60 single-row creates left segments to merge");
            assert_eq!(store.tidy_search_index(100).await.unwrap(), 0, "all merged");
        } else {
            assert_eq!(steps, 0);
        }
        for word in ["邮件", "мыло", "mail 042"] {
            let found = store
                .list_requests(
                    &RequestScope::default(),
                    &RequestFilter {
                        text: vec![word.into()],
                        ..Default::default()
                    },
                    RequestSort::default(),
                    None,
                    0,
                    100,
                )
                .await
                .unwrap();
            let expected = if word == "mail 042" { 1 } else { 60 };
            assert_eq!(found.total, expected, "{word}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_search_pages_the_newest_matches_whether_few_or_many_requests_hold_the_words() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        // 2,050 of the partner's requests say "common" (more than PostgreSQL reads through
        // the trigram index before sorting), one in a hundred also "rareword" — as do the
        // other partner's three, which the scope must keep out.
        let mut batch: Vec<(NewRequest, AuditEntry)> = (0..2050i64)
            .map(|i| {
                let description = if i % 100 == 0 { "d rareword" } else { "d" };
                let new = new_request(&w, 0, &format!("common {i}"), description, i);
                (new, audit("service_request", ""))
            })
            .collect();
        for i in 0..3 {
            let new = NewRequest {
                partner_id: w.other_partner,
                ..new_request(&w, 1, "rareword elsewhere", "d", 3000 + i)
            };
            batch.push((new, audit("service_request", "")));
        }
        store.create_requests_with_history(&batch).await.unwrap();
        let scope = RequestScope {
            partner_id: Some(w.partner),
            ..Default::default()
        };
        let search = |word: &str, cursor: Option<Cursor>, size: i64| {
            let (store, scope) = (store.clone(), scope.clone());
            let filter = RequestFilter {
                text: vec![word.into()],
                ..Default::default()
            };
            async move {
                store
                    .list_requests(&scope, &filter, RequestSort::CreatedDesc, cursor, 0, size)
                    .await
                    .unwrap()
            }
        };

        let mut rare = vec![];
        let mut cursor = None;
        loop {
            let page = search("rareword", cursor, 10).await;
            assert_eq!(page.total, 21, "on {:?}", store.engine());
            rare.extend(page.items.iter().map(|r| r.title.clone()));
            match page.items.last() {
                Some(last) if page.items.len() == 10 => {
                    cursor = Some(RequestSort::CreatedDesc.cursor_after(last));
                }
                _ => break,
            }
        }
        let expected: Vec<String> = (0..2050)
            .rev()
            .filter(|i| i % 100 == 0)
            .map(|i| format!("common {i}"))
            .collect();
        assert_eq!(
            rare,
            expected,
            "newest first, each once, on {:?}",
            store.engine()
        );

        let common = search("common", None, 25).await;
        assert_eq!(common.total, 2050);
        let newest: Vec<String> = (2025..2050).rev().map(|i| format!("common {i}")).collect();
        assert_eq!(
            common
                .items
                .iter()
                .map(|r| r.title.clone())
                .collect::<Vec<_>>(),
            newest
        );
    })
    .await;
}

#[tokio::test]
async fn incidents_reach_the_customers_of_their_services_regions_and_lists() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        store
            .put_service(
                &Service {
                    id: "azure".into(),
                    name: "Azure".into(),
                    admin_url_template: "https://portal/{tenantId}".into(),
                },
                &audit("service", "azure"),
            )
            .await
            .unwrap();
        for (id, name) in [("cn-north", "China North"), ("cn-east", "China East")] {
            store.put_region(id, name).await.unwrap();
        }
        // Another partner's customer, in the same region as customer 0.
        let theirs = org(OrgKind::Customer, "武汉长江电子", Some("whcj.cn"));
        store
            .insert_organization(&theirs, &audit("organization", theirs.id))
            .await
            .unwrap();
        store
            .insert_relationship(
                w.other_partner,
                theirs.id,
                true,
                &audit("relationship", theirs.id),
            )
            .await
            .unwrap();
        let [c0, c1, c2] = [w.customers[0], w.customers[1], w.customers[2]];
        for (customer, service, region) in [
            (c0, "office365", Some("cn-north")),
            (c0, "azure", Some("cn-north")),
            (c1, "office365", Some("cn-east")),
            (c2, "azure", None),
            (theirs.id, "office365", Some("cn-north")),
        ] {
            store
                .add_managed_service(customer, service, region, &audit("organization", customer))
                .await
                .unwrap();
        }

        let texts = vec![
            IncidentText {
                locale: ContentLocale::En,
                title: "Mail delayed".into(),
                impact: "Messages arrive late".into(),
            },
            IncidentText {
                locale: ContentLocale::Zh,
                title: "邮件延迟".into(),
                impact: "邮件到达延迟".into(),
            },
            IncidentText {
                locale: ContentLocale::Ru,
                title: "Задержка почты".into(),
                impact: "Письма приходят с опозданием".into(),
            },
        ];
        let fields = |services: &[&str], regions: &[&str], customers: Option<Vec<Guid>>, status| {
            IncidentFields {
                kind: IncidentKind::Incident,
                status,
                severity: PublicSeverity::Warning,
                starts_at: at(10),
                ends_at: None,
                texts: texts.clone(),
                reach: Reach {
                    services: services.iter().map(|s| s.to_string()).collect(),
                    regions: regions.iter().map(|s| s.to_string()).collect(),
                    customers,
                },
            }
        };
        let publish = |f: IncidentFields| {
            let store = store.clone();
            let user = w.user;
            async move {
                store
                    .insert_incident(&f, user, at(10), &audit("service_incident", ""))
                    .await
                    .unwrap()
            }
        };
        let north = publish(fields(
            &["office365"],
            &["cn-north"],
            None,
            IncidentStatus::Investigating,
        ))
        .await;
        let listed = publish(fields(
            &["azure"],
            &[],
            Some(vec![c2]),
            IncidentStatus::Identified,
        ))
        .await;
        let everywhere = publish(fields(&["office365"], &[], None, IncidentStatus::Resolved)).await;

        let ids = |page: Page<Incident>| {
            let mut ids: Vec<i64> = page.items.iter().map(|i| i.id).collect();
            ids.sort_unstable();
            ids
        };
        let list = |scope, filter: IncidentFilter| {
            let store = store.clone();
            async move { store.list_incidents(scope, &filter, 0, 50).await.unwrap() }
        };
        let mut all = vec![north, listed, everywhere];
        all.sort_unstable();
        assert_eq!(
            ids(list(IncidentScope::Everything, IncidentFilter::default()).await),
            all
        );
        assert_eq!(
            ids(list(IncidentScope::Customer(c0), IncidentFilter::default()).await),
            [north, everywhere]
        );
        assert_eq!(
            ids(list(IncidentScope::Customer(c1), IncidentFilter::default()).await),
            [everywhere],
            "cn-east is not cn-north"
        );
        assert_eq!(
            ids(list(IncidentScope::Customer(c2), IncidentFilter::default()).await),
            [listed]
        );
        assert_eq!(
            ids(list(IncidentScope::Partner(w.partner), IncidentFilter::default()).await),
            all
        );
        assert_eq!(
            ids(list(
                IncidentScope::Partner(w.other_partner),
                IncidentFilter::default()
            )
            .await),
            [north, everywhere],
            "a notice for a list of another partner's customers stays theirs"
        );
        let open = IncidentFilter {
            open: Some(true),
            ..Default::default()
        };
        assert_eq!(
            ids(list(IncidentScope::Everything, open).await),
            [north, listed]
        );
        let azure = IncidentFilter {
            service_id: Some("azure".into()),
            ..Default::default()
        };
        let page = list(IncidentScope::Everything, azure).await;
        assert_eq!((page.total, ids(page)), (1, vec![listed]));
        assert!(
            store
                .incident_in_scope(north, IncidentScope::Customer(c0))
                .await
                .unwrap()
        );
        assert!(
            !store
                .incident_in_scope(north, IncidentScope::Customer(c1))
                .await
                .unwrap()
        );
        assert!(
            !store
                .incident_in_scope(listed, IncidentScope::Customer(c0))
                .await
                .unwrap()
        );
        assert!(
            !store
                .incident_in_scope(listed, IncidentScope::Partner(w.other_partner))
                .await
                .unwrap()
        );
        assert!(
            store
                .incident_in_scope(listed, IncidentScope::Partner(w.partner))
                .await
                .unwrap()
        );

        // Read back whole; the timeline grows; a stale version loses.
        let read = store.incident(north).await.unwrap();
        assert_eq!(read.texts.len(), 3);
        assert!(read.texts.iter().any(|t| t.title == "邮件延迟"));
        assert_eq!(read.reach.regions, ["cn-north"]);
        assert_eq!(read.reach.customers, None);
        let mut resolved = fields(
            &["office365"],
            &["cn-north"],
            None,
            IncidentStatus::Resolved,
        );
        resolved.ends_at = Some(at(50));
        let version = store
            .add_incident_update(
                north,
                read.version,
                &resolved,
                &NewIncidentUpdate {
                    at: at(50),
                    status: IncidentStatus::Resolved,
                    author_id: Some(w.user),
                    author_name: "Agent".into(),
                    texts: vec![
                        (ContentLocale::En, "Fixed".into()),
                        (ContentLocale::Ru, "Исправлено".into()),
                    ],
                },
                &audit("service_incident", north),
            )
            .await
            .unwrap();
        let after = store.incident(north).await.unwrap();
        assert_eq!(
            (after.status, after.ends_at, after.version),
            (IncidentStatus::Resolved, Some(at(50)), version)
        );
        assert_eq!(after.updates.len(), 1);
        assert_eq!(
            after.updates[0].texts[1],
            (ContentLocale::Ru, "Исправлено".into())
        );
        assert!(matches!(
            store
                .save_incident(
                    north,
                    read.version,
                    &resolved,
                    at(60),
                    &audit("service_incident", north)
                )
                .await,
            Err(StoreError::Concurrent)
        ));
        assert!(matches!(
            store
                .save_incident(999_999, 1, &resolved, at(60), &audit("service_incident", 0))
                .await,
            Err(StoreError::NotFound)
        ));
        // An edit replaces the reach: now for customer 1 only.
        store
            .save_incident(
                north,
                version,
                &fields(
                    &["office365"],
                    &[],
                    Some(vec![c1]),
                    IncidentStatus::Resolved,
                ),
                at(70),
                &audit("service_incident", north),
            )
            .await
            .unwrap();
        assert!(
            store
                .incident_in_scope(north, IncidentScope::Customer(c1))
                .await
                .unwrap()
        );
        assert!(
            !store
                .incident_in_scope(north, IncidentScope::Customer(c0))
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn a_sweep_marks_more_due_requests_than_one_batch_each_once() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        // Two and a half batches' worth, due at once (as after an outage).
        let load: Vec<_> = (0..1_250)
            .map(|n| {
                let new = new_request(&w, n % 3, "due", "d", n as i64);
                (new, audit("service_request", "?"))
            })
            .collect();
        let mut created = store.create_requests_with_history(&load).await.unwrap();
        let sweeps: Vec<_> = (0..2)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .mark_sla(SlaMark::Breached, at(99_999), |id| {
                            audit("service_request", id)
                        })
                        .await
                })
            })
            .collect();
        let mut marked = vec![];
        for sweep in sweeps {
            marked.extend(sweep.await.unwrap().unwrap());
        }
        marked.sort();
        created.sort();
        assert_eq!(marked, created, "every due request, each once");
        let page = partner_page(&store, &w).await;
        assert!(
            page.items
                .iter()
                .all(|r| r.sla.breached_at == Some(at(99_999)))
        );
    })
    .await;
}

#[tokio::test]
async fn sla_clocks_round_trip_and_each_mark_is_made_once() {
    for_each_engine(|store| async move {
        let w = world(&store).await;
        let create = |second: i64| {
            let store = store.clone();
            let new = new_request(&w, 0, "SLA", "clock", second);
            async move {
                store
                    .create_request_with_history(&new, &audit("service_request", "?"), None)
                    .await
                    .unwrap()
                    .id()
            }
        };
        let (first, second) = (create(0).await, create(100).await);
        let read = store.request(first).await.unwrap();
        assert_eq!(read.sla, new_request(&w, 0, "SLA", "clock", 0).sla);

        // A paused clock has no instants: never marked, and last in the queue's order.
        let mut paused = store.request_for_update(second).await.unwrap();
        paused.sla.clock = paused.sla.clock.map(|c| SlaClock {
            consumed: SignedDuration::from_mins(10),
            running_since: None,
            ..c
        });
        paused.sla.due_at = None;
        paused.sla.warn_at = None;
        store.save_request(&paused, &[], &[]).await.unwrap();
        assert_eq!(store.request(second).await.unwrap().sla, paused.sla);

        fn event(id: RequestId) -> AuditEntry {
            AuditEntry {
                action: "sla_breached".into(),
                ..audit("service_request", id)
            }
        }
        // Nothing is due yet; then the first is, once; marking twice marks nothing more.
        assert!(
            store
                .mark_sla(SlaMark::Breached, at(7199), event)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .mark_sla(SlaMark::Breached, at(7200), event)
                .await
                .unwrap(),
            [first]
        );
        assert!(
            store
                .mark_sla(SlaMark::Breached, at(99_999), event)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .mark_sla(SlaMark::NearBreach, at(99_999), event)
                .await
                .unwrap(),
            [first]
        );

        // Several sweeps at once (separate connections on PostgreSQL) mark a request once.
        let third = create(200).await;
        let sweeps: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(
                    async move { store.mark_sla(SlaMark::Breached, at(99_999), event).await },
                )
            })
            .collect();
        let mut marked = vec![];
        for sweep in sweeps {
            marked.extend(sweep.await.unwrap().unwrap());
        }
        assert_eq!(marked, [third]);
        let history = store
            .audit_events("service_request", &third.to_string())
            .await
            .unwrap();
        assert_eq!(
            history
                .iter()
                .filter(|e| e.action == "sla_breached")
                .count(),
            1
        );
        // A mark moves the version on: a change read before it cannot undo it.
        let stale = store.request_for_update(first).await.unwrap();
        assert!(stale.sla.breached_at.is_some());
        assert_eq!(stale.version, read.version + 2);
    })
    .await;
}

/// A server restart or an administrator ending sessions breaks every pooled connection at once;
/// the next read is tried again on a new connection instead of failing the caller.
#[tokio::test]
async fn a_read_survives_the_server_ending_the_pooled_connections() {
    use sqlx::{Connection, PgConnection};
    if !testing::engines().contains(&Engine::Postgres) {
        return;
    }
    let url = testing::fresh_database_url(Engine::Postgres).await.unwrap();
    let store = Store::connect(&partnerdesk_store::ConnectOptions::new(url.clone()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let w = world(&store).await;
    let id = store
        .create_request_with_history(
            &new_request(&w, 0, "VPN drops", "every hour", 1),
            &audit("service_request", "?"),
            None,
        )
        .await
        .unwrap()
        .id();
    assert_eq!(store.request(id).await.unwrap().title, "VPN drops");

    let mut admin = PgConnection::connect(&url).await.unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(!ended.is_empty() && ended.iter().all(|ended| *ended));

    assert_eq!(store.request(id).await.unwrap().title, "VPN drops");
}
