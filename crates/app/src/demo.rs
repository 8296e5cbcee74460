//! The demo world: one operator, three partners, thirty customers with Chinese, Russian and
//! English names, four services with their topics, fixed sign-ins and ~200 requests in every
//! state. Seeding is idempotent: ids derive from names, and a seeded world is left alone.

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::{
    Category, ContactChannel, EscalationCriterion, Guid, NoteVisibility, OrgKind, RequestKind,
    Role, Severity, State, Tier,
};
use partnerdesk_store::{
    AuditEntry, Contact, NewNote, NewRequest, NewUser, Organization, Service, SupportTopic,
};

use crate::{App, Result, accounts::hash_password};

pub const DEMO_PASSWORD: &str = "demo-password";

/// The fixed demo sign-ins: (e-mail, role, organization name).
pub const DEMO_USERS: &[(&str, Role, &str)] = &[
    (
        "admin@operator.example",
        Role::OperatorAdmin,
        "Fabrikam Cloud",
    ),
    ("lead@operator.example", Role::SupportLead, "Fabrikam Cloud"),
    (
        "engineer@operator.example",
        Role::SupportEngineer,
        "Fabrikam Cloud",
    ),
    (
        "billing@operator.example",
        Role::BillingSpecialist,
        "Fabrikam Cloud",
    ),
    (
        "health@operator.example",
        Role::HealthManager,
        "Fabrikam Cloud",
    ),
    ("admin@contoso.example", Role::GlobalAdmin, "Contoso"),
    ("agent@contoso.example", Role::AdminAgent, "Contoso"),
    ("helpdesk@contoso.example", Role::HelpdeskAgent, "Contoso"),
    ("sales@contoso.example", Role::SalesAgent, "Contoso"),
    ("billing@contoso.example", Role::BillingAdmin, "Contoso"),
    ("agent@tailspin.example", Role::AdminAgent, "Tailspin Toys"),
    ("admin@tailspin.example", Role::GlobalAdmin, "Tailspin Toys"),
    (
        "admin@customer1.example",
        Role::CustomerAdmin,
        "北京云海科技有限公司",
    ),
];

const PARTNERS: &[(&str, &str)] = &[
    ("Contoso", "CN"),
    ("Tailspin Toys", "CN"),
    ("Northwind Traders", "RU"),
];

/// (name, primary domain, country); the first 14 buy through Contoso, the next 10 through
/// Tailspin, the rest through Northwind.
const CUSTOMERS: &[(&str, &str, &str)] = &[
    ("北京云海科技有限公司", "customer1.example", "CN"),
    ("上海星辰贸易有限公司", "xingchen-trade.cn", "CN"),
    ("深圳蓝鲸网络有限公司", "lanjing.cn", "CN"),
    ("杭州西湖软件有限公司", "xihu-soft.cn", "CN"),
    ("成都熊猫物流有限公司", "panda-logistics.cn", "CN"),
    ("ООО Ромашка", "romashka.ru", "RU"),
    ("АО Северный ветер", "severveter.ru", "RU"),
    ("ООО Байкал Софт", "baikalsoft.ru", "RU"),
    ("Adventure Works", "adventure-works.example", "CN"),
    ("Fourth Coffee", "fourthcoffee.example", "CN"),
    ("Litware Inc.", "litware.example", "CN"),
    ("广州珠江食品有限公司", "zhujiang-food.cn", "CN"),
    ("ООО Волга Транс", "volgatrans.ru", "RU"),
    ("Wide World Importers", "wideworld.example", "CN"),
    ("南京金陵医疗有限公司", "jinling-med.cn", "CN"),
    ("武汉长江电子有限公司", "changjiang-e.cn", "CN"),
    ("ООО Уральские самоцветы", "uralgems.ru", "RU"),
    ("Proseware", "proseware.example", "CN"),
    ("Lucerne Publishing", "lucerne.example", "CN"),
    ("天津海河化工有限公司", "haihe-chem.cn", "CN"),
    ("АО Невский проспект", "nevsky.ru", "RU"),
    ("Graphic Design Institute", "gdi.example", "CN"),
    ("西安古城文化有限公司", "gucheng.cn", "CN"),
    ("Trey Research", "treyresearch.example", "CN"),
    ("ООО Кама Агро", "kama-agro.ru", "RU"),
    ("Margie's Travel", "margiestravel.example", "RU"),
    ("苏州园林设计有限公司", "yuanlin.cn", "CN"),
    ("ООО Сибирь Телеком", "sibtelecom.ru", "RU"),
    ("Tailwind Traders", "tailwind.example", "RU"),
    ("School of Fine Art", "fineart.example", "RU"),
];

/// (id, name, admin-center URL template, topics: (id suffix, name, description, category))
type TopicSeed = (&'static str, &'static str, &'static str, Category);
const SERVICES: &[(&str, &str, &str, &[TopicSeed])] = &[
    (
        "office365",
        "Office 365 operated by 21Vianet",
        "https://portal.partner.microsoftonline.cn/admin?tenant={tenantId}",
        &[
            (
                "mail-flow",
                "Exchange mail flow",
                "Mail not delivered, delayed or rejected",
                Category::Technical,
            ),
            (
                "teams",
                "Teams meetings and chat",
                "Meetings, calls and chat in Teams",
                Category::Technical,
            ),
            (
                "sharepoint",
                "SharePoint and OneDrive",
                "Sites, sync and sharing",
                Category::Technical,
            ),
            (
                "identity",
                "Sign-in and identity",
                "Users cannot sign in, MFA, password reset",
                Category::Account,
            ),
            (
                "licensing",
                "Licences and subscriptions",
                "Assigning and counting licences",
                Category::Billing,
            ),
            (
                "invoice",
                "Invoices and charges",
                "Unexpected charges, invoice questions",
                Category::Billing,
            ),
            (
                "migration",
                "Mailbox migration",
                "Moving mailboxes into Exchange Online",
                Category::Technical,
            ),
        ],
    ),
    (
        "azure",
        "Azure operated by 21Vianet",
        "https://portal.azure.cn/#@{domain}/resource",
        &[
            (
                "vm",
                "Virtual machines",
                "Start, stop, connect and performance",
                Category::Technical,
            ),
            (
                "network",
                "Networking",
                "VNet, VPN gateway, ExpressRoute, DNS",
                Category::Technical,
            ),
            (
                "storage",
                "Storage",
                "Blobs, files, disks",
                Category::Technical,
            ),
            (
                "sql",
                "Azure SQL",
                "Databases, connectivity, performance",
                Category::Technical,
            ),
            (
                "subscription",
                "Subscriptions and quotas",
                "Quota increases, subscription state",
                Category::Account,
            ),
            (
                "billing",
                "Azure billing",
                "Usage charges and credits",
                Category::Billing,
            ),
            (
                "fraud",
                "Suspected fraud or misuse",
                "Unexpected resources or abuse",
                Category::Account,
            ),
            (
                "aks",
                "Kubernetes Service",
                "Clusters, node pools, upgrades",
                Category::Technical,
            ),
        ],
    ),
    (
        "dynamics365",
        "Dynamics 365",
        "https://admin.dynamics.cn/environments?tenant={tenantId}",
        &[
            (
                "sales",
                "Sales",
                "Leads, opportunities and forecasts",
                Category::Technical,
            ),
            (
                "customer-service",
                "Customer Service",
                "Cases and queues",
                Category::Technical,
            ),
            (
                "finance",
                "Finance",
                "Ledgers and reporting",
                Category::Technical,
            ),
            (
                "integration",
                "Integration and APIs",
                "Dataverse connections and limits",
                Category::Technical,
            ),
            (
                "environment",
                "Environments",
                "Create, copy, restore environments",
                Category::Account,
            ),
            (
                "charges",
                "Dynamics billing",
                "Subscription charges",
                Category::Billing,
            ),
        ],
    ),
    (
        "powerbi",
        "Power BI",
        "https://app.powerbi.cn/admin-portal?tenant={tenantId}",
        &[
            (
                "refresh",
                "Dataset refresh",
                "Scheduled refresh fails or is slow",
                Category::Technical,
            ),
            (
                "gateway",
                "On-premises gateway",
                "Gateway install and connectivity",
                Category::Technical,
            ),
            (
                "embedding",
                "Embedding",
                "Embedded reports and capacities",
                Category::Technical,
            ),
            (
                "workspace",
                "Workspaces and sharing",
                "Access, sharing and apps",
                Category::Account,
            ),
            (
                "capacity",
                "Premium capacity",
                "Capacity size and overload",
                Category::Technical,
            ),
            (
                "pbi-billing",
                "Power BI billing",
                "Pro and Premium charges",
                Category::Billing,
            ),
        ],
    ),
];

/// (title, description) per language, cycled through the seeded requests.
const PROBLEMS: &[(&str, &str)] = &[
    (
        "邮件无法发送到外部域",
        "自昨天起，所有用户发往外部域的邮件都被退回，错误 550 5.7.1。已检查 MX 与 SPF 记录。",
    ),
    (
        "Teams 会议频繁掉线",
        "在上海办公室，Teams 会议五分钟后断开，其他网络正常。",
    ),
    (
        "Не приходит почта от партнёров",
        "Письма от внешних отправителей задерживаются на несколько часов. Проверили правила транспорта.",
    ),
    (
        "Виртуальная машина не запускается",
        "После обслуживания ВМ в регионе China East 2 остаётся в состоянии «Запуск».",
    ),
    (
        "Mailbox migration stalls at 95%",
        "Batch migration of 40 mailboxes stops at 95% with a transient error; retried twice.",
    ),
    (
        "VPN gateway drops every hour",
        "Site-to-site VPN to the Beijing datacenter disconnects hourly; IKE logs attached.",
    ),
    (
        "Unexpected charges on the March invoice",
        "The invoice lists 30 E3 licences more than the tenant has assigned.",
    ),
    (
        "Dataset refresh fails with gateway timeout",
        "Scheduled refresh of the sales dataset fails since the gateway upgrade.",
    ),
    (
        "数据库连接超时",
        "Azure SQL 数据库在高峰期出现连接超时，DTU 使用率正常。",
    ),
    (
        "Пользователи не могут войти в систему",
        "После смены пароля пользователи получают ошибку AADSTS50126.",
    ),
];

const STATES: &[(State, Tier)] = &[
    (State::New, Tier::Partner),
    (State::InProgress, Tier::Partner),
    (State::AwaitingCustomer, Tier::Partner),
    (State::Escalated, Tier::Operator),
    (State::Escalated, Tier::Operator),
    (State::InProgress, Tier::Operator),
    (State::AwaitingPartner, Tier::Operator),
    (State::Resolved, Tier::Operator),
    (State::Closed, Tier::Operator),
    (State::Closed, Tier::Partner),
];

pub const DEMO_REQUESTS: usize = 200;

fn org(
    kind: OrgKind,
    name: &str,
    domain: Option<&str>,
    country: &str,
    at: Timestamp,
) -> Organization {
    Organization {
        id: Guid::from_name(&format!("demo:{name}")),
        kind,
        name: name.into(),
        domain: domain.map(Into::into),
        country: Some(country.into()),
        phone: Some("+86 400 820 0000".into()),
        time_zone: Some("Asia/Shanghai".into()),
        created_at: at,
        suspended_at: None,
    }
}

fn system(at: Timestamp, entity: &'static str, id: impl ToString, action: &str) -> AuditEntry {
    AuditEntry {
        at,
        actor_id: None,
        actor_name: "demo seed".into(),
        org_id: None,
        entity,
        entity_id: id.to_string(),
        action: action.into(),
        detail: serde_json::json!({}),
    }
}

/// Seeds the demo world unless an operator organization already exists. Returns whether it seeded.
pub async fn seed(app: &App) -> Result<bool> {
    if app.store.operator().await?.is_some() {
        return Ok(false);
    }
    let now = app.now();
    let start = now - SignedDuration::from_hours(24 * 60);
    let store = &app.store;
    let operator = org(OrgKind::Operator, "Fabrikam Cloud", None, "CN", start);
    store
        .insert_organization(
            &operator,
            &system(start, "organization", operator.id, "created"),
        )
        .await?;
    let mut partners = vec![];
    for (name, country) in PARTNERS {
        let partner = org(OrgKind::Partner, name, None, country, start);
        store
            .insert_organization(
                &partner,
                &system(start, "organization", partner.id, "created"),
            )
            .await?;
        let profile = partnerdesk_store::SupportProfile {
            email: Some(format!(
                "support@{}.example",
                name.split(' ').next().unwrap_or(name).to_lowercase()
            )),
            phone: Some("+86 400 820 1234".into()),
            website: Some(format!(
                "https://{}.example/support",
                name.split(' ').next().unwrap_or(name).to_lowercase()
            )),
            hours: Some("Mon–Fri 09:00–18:00 (Asia/Shanghai)".into()),
        };
        store
            .put_support_profile(
                partner.id,
                &profile,
                start,
                &system(start, "support_profile", partner.id, "updated"),
            )
            .await?;
        partners.push(partner);
    }
    for (id, name, template, topics) in SERVICES {
        store
            .put_service(
                &Service {
                    id: id.to_string(),
                    name: name.to_string(),
                    admin_url_template: template.to_string(),
                },
                &system(start, "service", id, "saved"),
            )
            .await?;
        for (suffix, topic_name, description, category) in *topics {
            store
                .put_topic(
                    &SupportTopic {
                        id: format!("{id}-{suffix}"),
                        service_id: id.to_string(),
                        name: topic_name.to_string(),
                        description: description.to_string(),
                        category: *category,
                    },
                    &system(start, "support_topic", format!("{id}-{suffix}"), "saved"),
                )
                .await?;
        }
    }
    let mut customers = vec![];
    for (i, (name, domain, country)) in CUSTOMERS.iter().enumerate() {
        let customer = org(OrgKind::Customer, name, Some(domain), country, start);
        store
            .insert_organization(
                &customer,
                &system(start, "organization", customer.id, "created"),
            )
            .await?;
        if i == 0 {
            for (id, name) in REGIONS {
                store.put_region(id, name).await?;
            }
        }
        let partner = &partners[match i {
            0..14 => 0,
            14..24 => 1,
            _ => 2,
        }];
        store
            .insert_relationship(
                partner.id,
                customer.id,
                i % 3 != 2,
                &system(start, "relationship", customer.id, "created"),
            )
            .await?;
        for (s, (service_id, ..)) in SERVICES.iter().enumerate() {
            if s == 0 || (i + s) % 2 == 0 {
                store
                    .add_managed_service(
                        customer.id,
                        service_id,
                        Some(REGIONS[i % 2].0),
                        &system(start, "organization", customer.id, "service_added"),
                    )
                    .await?;
            }
        }
        customers.push((customer, partner.id));
    }
    let hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    let mut users = std::collections::HashMap::new();
    for (email, role, org_name) in DEMO_USERS {
        let org_id = Guid::from_name(&format!("demo:{org_name}"));
        let name = demo_name(email);
        let user = store
            .insert_user(
                &NewUser {
                    id: Guid::from_name(&format!("demo-user:{email}")),
                    org_id,
                    email,
                    name: &name,
                    role: *role,
                    password_hash: Some(&hash),
                    locale: None,
                    phone: Some("+86 21 5555 0100"),
                    at: start,
                },
                &system(start, "user", email, "created"),
            )
            .await?;
        users.insert(*email, user);
    }
    seed_requests(app, &operator, &customers, &users, start).await?;
    seed_urgent_requests(
        app,
        &operator,
        &customers,
        &users["agent@contoso.example"],
        now,
    )
    .await?;
    seed_reviews(app, &users["lead@operator.example"], now).await?;
    seed_health(app, &users["health@operator.example"], now).await?;
    seed_articles(app, &users["lead@operator.example"], now).await?;
    Ok(true)
}

/// Reviews of the demo escalations: Tailspin is judged improper often enough (every third) to
/// cross the remediation threshold — upkeep's proposal is made here at once —, Contoso rarely
/// (every eighth), with one dispute upheld and one awaiting a lead.
async fn seed_reviews(app: &App, lead: &partnerdesk_store::User, now: Timestamp) -> Result<()> {
    use partnerdesk_domain::review::{DisputeOutcome, ImproperReason, Review, Signed, Verdict};
    let reasons = [
        ImproperReason::WithinPartnerBoundary,
        ImproperReason::PublishedIncident,
        ImproperReason::SelfHelpArticle,
        ImproperReason::InsufficientTroubleshooting,
    ];
    for (partner, every) in [("demo:Tailspin Toys", 3), ("demo:Contoso", 8)] {
        let partner = Guid::from_name(partner);
        let scope = partnerdesk_store::RequestScope {
            partner_id: Some(partner),
            reached_operator: true,
            ..Default::default()
        };
        let escalated = app
            .store
            .list_requests(
                &scope,
                &Default::default(),
                Default::default(),
                None,
                0,
                500,
            )
            .await?
            .items;
        for (n, request) in escalated.iter().enumerate() {
            let at = request.escalated_at.unwrap_or(now) + SignedDuration::from_hours(4);
            if at > now {
                continue;
            }
            let signed = |comment: &str| Signed {
                by: lead.id,
                by_name: lead.name.clone(),
                at,
                comment: Some(comment.to_string()),
            };
            let improper = n % every == 0;
            let mut review = Review {
                verdict: if improper {
                    Verdict::Improper
                } else {
                    Verdict::Proper
                },
                reason: improper.then_some(reasons[n % reasons.len()]),
                reviewed: signed(if improper {
                    "The partner could have solved this."
                } else {
                    "Properly escalated."
                }),
                dispute: None,
                decision: None,
            };
            if improper && every == 8 && n / every < 2 {
                review.dispute = Some(signed(
                    "The customer's tenant was affected by a backend fault.",
                ));
                if n == 0 {
                    review.decision =
                        Some((DisputeOutcome::Upheld, signed("The advisory covered it.")));
                }
            }
            let entry = AuditEntry {
                org_id: Some(partner),
                ..system(at, "service_request", request.id, "escalation_reviewed")
            };
            app.store
                .save_review(request.id, partner, &review, None, &entry)
                .await?;
        }
    }
    app.propose_plans().await?;
    Ok(())
}

/// Two critical requests reaching the operator just now, so that the queue shows, beside the
/// breached ones, one near breach (100 of its 120 minutes used) and one with time to spare.
async fn seed_urgent_requests(
    app: &App,
    operator: &Organization,
    customers: &[(Organization, Guid)],
    agent: &partnerdesk_store::User,
    now: Timestamp,
) -> Result<()> {
    let topics = app.store.topics(Some("office365")).await?;
    let topic = topics
        .iter()
        .find(|t| t.category == Category::Technical)
        .ok_or_else(|| crate::AppError::Internal("no technical topic".into()))?;
    let (customer, partner_id) = &customers[0];
    for (minutes_ago, title) in [
        (100, "Exchange Online: all outbound mail queued"),
        (20, "Teams meetings drop after 60 seconds"),
    ] {
        let at = now - SignedDuration::from_mins(minutes_ago);
        let new = NewRequest {
            kind: RequestKind::Customer,
            partner_id: *partner_id,
            customer_id: Some(customer.id),
            service_id: Some(topic.service_id.clone()),
            topic_id: Some(topic.id.clone()),
            category: topic.category,
            title: title.into(),
            description: "Affects every user of the tenant since the last hour.".into(),
            severity: Severity::Critical,
            state: State::Escalated,
            tier: Tier::Operator,
            holder_org_id: operator.id,
            escalation_criterion: Some(EscalationCriterion::ServiceUnavailable),
            troubleshooting: Some("Checked service health and the tenant's connectors.".into()),
            escalation_incomplete: false,
            contact: Contact {
                first_name: Some(agent.name.clone()),
                email: Some(agent.email.clone()),
                phone: agent.phone.clone(),
                channel: Some(ContactChannel::Phone),
                ..Contact::default()
            },
            country_code: customer.country.clone(),
            agent_locale: "zh-CN".into(),
            created_by: agent.id,
            last_updated_by: agent.name.clone(),
            at,
            sla: app.opening_sla(Tier::Operator, Severity::Critical, topic.category, at),
        };
        app.store
            .create_request_with_history(&new, &system(at, "service_request", "", "created"), None)
            .await?;
    }
    Ok(())
}

/// The same advice in English, Chinese and Russian: (title, Markdown body) each.
type Translations = [(&'static str, &'static str); 3];

/// Self-help articles: (service, topic, translations).
const ARTICLES: &[(&str, &str, Translations)] = &[
    (
        "office365",
        "mail-flow",
        [
            (
                "Outbound mail rejected with 550 5.7.1",
                "Check that the domain's **SPF** record includes the service, then resend.",
            ),
            (
                "外发邮件被拒绝 (550 5.7.1)",
                "检查域的 **SPF** 记录是否包含本服务，然后重新发送。",
            ),
            (
                "Исходящие письма отклоняются с кодом 550 5.7.1",
                "Проверьте, что запись **SPF** домена включает сервис, и отправьте снова.",
            ),
        ],
    ),
    (
        "office365",
        "teams",
        [
            (
                "Teams meetings drop every few minutes",
                "Allow UDP ports 3478–3481 on the firewall; TCP-only calls are unstable.",
            ),
            (
                "Teams 会议每隔几分钟掉线",
                "在防火墙上放行 UDP 端口 3478–3481；仅 TCP 的通话不稳定。",
            ),
            (
                "Совещания Teams обрываются каждые несколько минут",
                "Откройте на межсетевом экране UDP-порты 3478–3481.",
            ),
        ],
    ),
    (
        "office365",
        "identity",
        [
            (
                "Users cannot sign in after a password reset",
                "Wait 15 minutes for the change to replicate, then sign out of every session.",
            ),
            (
                "重置密码后用户无法登录",
                "等待 15 分钟让更改同步，然后退出所有会话。",
            ),
            (
                "Пользователи не могут войти после сброса пароля",
                "Подождите 15 минут, пока изменение распространится, и завершите все сеансы.",
            ),
        ],
    ),
    (
        "azure",
        "vm",
        [
            (
                "A virtual machine does not start",
                "Check the quota of the region and the boot diagnostics before escalating.",
            ),
            ("虚拟机无法启动", "在升级之前检查区域配额和启动诊断。"),
            (
                "Виртуальная машина не запускается",
                "Проверьте квоту региона и диагностику загрузки.",
            ),
        ],
    ),
    (
        "azure",
        "network",
        [
            (
                "VPN gateway disconnects every hour",
                "Match the IKE lifetime on both sides; a mismatch renegotiates hourly.",
            ),
            (
                "VPN 网关每小时断开一次",
                "两端的 IKE 生存期必须一致；不一致会每小时重新协商。",
            ),
            (
                "VPN-шлюз отключается каждый час",
                "Согласуйте время жизни IKE на обеих сторонах.",
            ),
        ],
    ),
    (
        "azure",
        "billing",
        [
            (
                "Unexpected charges on the invoice",
                "Compare the usage report with the reservations; unused reservations are billed.",
            ),
            (
                "发票上出现意外费用",
                "将使用情况报告与预留实例比较；未使用的预留也会计费。",
            ),
            (
                "Неожиданные начисления в счёте",
                "Сравните отчёт об использовании с резервированиями.",
            ),
        ],
    ),
    (
        "dynamics365",
        "integration",
        [
            (
                "Data integration jobs fail with a timeout",
                "Split the job into batches under 5,000 records.",
            ),
            (
                "数据集成作业因超时失败",
                "将作业拆分为每批少于 5000 条记录。",
            ),
            (
                "Задания интеграции данных завершаются по тайм-ауту",
                "Разбейте задание на пакеты менее 5000 записей.",
            ),
        ],
    ),
    (
        "powerbi",
        "refresh",
        [
            (
                "Dataset refresh fails with a gateway timeout",
                "Update the on-premises gateway and raise its timeout to 10 minutes.",
            ),
            (
                "数据集刷新因网关超时失败",
                "更新本地网关并将超时时间提高到 10 分钟。",
            ),
            (
                "Обновление набора данных завершается тайм-аутом шлюза",
                "Обновите локальный шлюз и увеличьте тайм-аут до 10 минут.",
            ),
        ],
    ),
];

async fn seed_articles(app: &App, author: &partnerdesk_store::User, now: Timestamp) -> Result<()> {
    use partnerdesk_domain::{ArticleStatus, ContentLocale};
    for (service, topic, texts) in ARTICLES {
        for (locale, (title, body)) in [ContentLocale::En, ContentLocale::Zh, ContentLocale::Ru]
            .into_iter()
            .zip(texts)
        {
            let fields = partnerdesk_store::ArticleFields {
                service_id: service.to_string(),
                topic_id: Some(format!("{service}-{topic}")),
                locale,
                title: title.to_string(),
                body: body.to_string(),
                body_html: crate::articles::render_markdown(body),
                terms: partnerdesk_domain::search_terms::stored_terms(&format!("{title}\n{body}")),
                status: ArticleStatus::Published,
            };
            let written = system(now, "article", "", "written");
            app.store
                .insert_article(&fields, author.id, now, &written)
                .await?;
        }
    }
    Ok(())
}

/// The regions of the demo cloud; customers alternate between them.
const REGIONS: [(&str, &str); 2] = [
    ("cn-north", "China North 2 (Beijing)"),
    ("cn-east", "China East 2 (Shanghai)"),
];

/// One active incident with its timeline in three languages, one planned maintenance, one
/// resolved incident.
async fn seed_health(app: &App, author: &partnerdesk_store::User, now: Timestamp) -> Result<()> {
    use partnerdesk_domain::{ContentLocale::*, IncidentKind, IncidentStatus, PublicSeverity};
    use partnerdesk_store::{IncidentFields, IncidentText, NewIncidentUpdate, Reach};
    let store = &app.store;
    let texts = |items: [(partnerdesk_domain::ContentLocale, &str, &str); 3]| {
        items
            .into_iter()
            .map(|(locale, title, impact)| IncidentText {
                locale,
                title: title.into(),
                impact: impact.into(),
            })
            .collect::<Vec<_>>()
    };
    let notices = [
        (
            IncidentFields {
                kind: IncidentKind::Incident,
                status: IncidentStatus::Identified,
                severity: PublicSeverity::Warning,
                starts_at: now - SignedDuration::from_hours(3),
                ends_at: None,
                texts: texts([
                    (
                        En,
                        "Delayed mail delivery to external domains",
                        "Messages to external recipients are delayed by up to 40 minutes.",
                    ),
                    (
                        Zh,
                        "发往外部域的邮件延迟",
                        "发往外部收件人的邮件最多延迟 40 分钟。",
                    ),
                    (
                        Ru,
                        "Задержка доставки почты во внешние домены",
                        "Письма внешним получателям задерживаются до 40 минут.",
                    ),
                ]),
                reach: Reach {
                    services: vec!["office365".into()],
                    regions: vec!["cn-north".into()],
                    customers: None,
                },
            },
            vec![
                (
                    3,
                    IncidentStatus::Investigating,
                    [
                        "We are investigating reports of delayed outbound mail.",
                        "我们正在调查外发邮件延迟的报告。",
                        "Мы расследуем сообщения о задержке исходящей почты.",
                    ],
                ),
                (
                    1,
                    IncidentStatus::Identified,
                    [
                        "A faulty transport node was found; traffic is being rerouted.",
                        "已发现故障传输节点，正在重新路由流量。",
                        "Обнаружен неисправный транспортный узел, трафик перенаправляется.",
                    ],
                ),
            ],
        ),
        (
            IncidentFields {
                kind: IncidentKind::PlannedMaintenance,
                status: IncidentStatus::Identified,
                severity: PublicSeverity::Information,
                starts_at: now + SignedDuration::from_hours(72),
                ends_at: Some(now + SignedDuration::from_hours(76)),
                texts: texts([
                    (
                        En,
                        "Planned maintenance of virtual machine hosts",
                        "Virtual machines may restart once during the window.",
                    ),
                    (Zh, "虚拟机主机计划维护", "维护期间虚拟机可能会重启一次。"),
                    (
                        Ru,
                        "Плановое обслуживание узлов виртуальных машин",
                        "Виртуальные машины могут один раз перезагрузиться.",
                    ),
                ]),
                reach: Reach {
                    services: vec!["azure".into()],
                    regions: vec![],
                    customers: None,
                },
            },
            vec![],
        ),
        (
            IncidentFields {
                kind: IncidentKind::Incident,
                status: IncidentStatus::Resolved,
                severity: PublicSeverity::Critical,
                starts_at: now - SignedDuration::from_hours(240),
                ends_at: Some(now - SignedDuration::from_hours(238)),
                texts: texts([
                    (
                        En,
                        "Sign-in failures in Teams",
                        "Users could not sign in to Teams.",
                    ),
                    (Zh, "Teams 登录失败", "用户无法登录 Teams。"),
                    (
                        Ru,
                        "Сбои входа в Teams",
                        "Пользователи не могли войти в Teams.",
                    ),
                ]),
                reach: Reach {
                    services: vec!["office365".into()],
                    regions: vec![],
                    customers: None,
                },
            },
            vec![(
                238,
                IncidentStatus::Resolved,
                [
                    "A configuration change was rolled back; sign-in works again.",
                    "已回滚配置更改，登录已恢复正常。",
                    "Изменение конфигурации отменено, вход снова работает.",
                ],
            )],
        ),
    ];
    for (fields, updates) in notices {
        let created = system(
            fields.starts_at.min(now),
            "service_incident",
            "",
            "published",
        );
        let id = store
            .insert_incident(&fields, author.id, fields.starts_at.min(now), &created)
            .await?;
        let mut version = 1;
        for (hours_ago, status, [en, zh, ru]) in updates {
            let at = now - SignedDuration::from_hours(hours_ago);
            let update = NewIncidentUpdate {
                at,
                status,
                author_id: Some(author.id),
                author_name: author.name.clone(),
                texts: vec![(En, en.into()), (Zh, zh.into()), (Ru, ru.into())],
            };
            version = store
                .add_incident_update(
                    id,
                    version,
                    &IncidentFields {
                        status,
                        ..fields.clone()
                    },
                    &update,
                    &system(at, "service_incident", id, "update_posted"),
                )
                .await?;
        }
    }
    Ok(())
}

fn demo_name(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let org = domain.split('.').next().unwrap_or("");
    let capitalize = |s: &str| {
        s.chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .chain(s.chars().skip(1))
            .collect::<String>()
    };
    format!("{} {}", capitalize(org), capitalize(local))
}

async fn seed_requests(
    app: &App,
    operator: &Organization,
    customers: &[(Organization, Guid)],
    users: &std::collections::HashMap<&str, partnerdesk_store::User>,
    start: Timestamp,
) -> Result<()> {
    let store = &app.store;
    let topics = store.topics(None).await?;
    let engineer = &users["engineer@operator.example"];
    for n in 0..DEMO_REQUESTS {
        let (customer, partner_id) = &customers[(n * 7) % customers.len()];
        let partner_user = if *partner_id == Guid::from_name("demo:Contoso") {
            &users["agent@contoso.example"]
        } else {
            &users["agent@tailspin.example"]
        };
        let (state, tier) = STATES[n % STATES.len()];
        let topic = &topics[(n * 5) % topics.len()];
        let (title, description) = PROBLEMS[n % PROBLEMS.len()];
        let created = start + SignedDuration::from_mins(i64::try_from(n).unwrap_or(0) * 421);
        let severity = match (n % 3, topic.category) {
            (0, Category::Billing) | (1, _) => Severity::Moderate,
            (0, _) => Severity::Critical,
            _ => Severity::Minimal,
        };
        let own = n % 17 == 0;
        let new = NewRequest {
            kind: if own {
                RequestKind::Partner
            } else {
                RequestKind::Customer
            },
            partner_id: *partner_id,
            customer_id: (!own).then_some(customer.id),
            service_id: Some(topic.service_id.clone()),
            topic_id: Some(topic.id.clone()),
            category: topic.category,
            title: format!("{title} #{}", n + 1),
            description: description.into(),
            severity,
            state: if tier == Tier::Operator {
                State::Escalated
            } else {
                State::New
            },
            tier: if tier == Tier::Operator {
                Tier::Operator
            } else {
                Tier::Partner
            },
            holder_org_id: if tier == Tier::Operator {
                operator.id
            } else {
                *partner_id
            },
            escalation_criterion: (n % 4 != 0).then_some(if topic.category == Category::Billing {
                EscalationCriterion::BillingDispute
            } else {
                EscalationCriterion::NotAsDocumented
            }),
            troubleshooting: (n % 5 != 0).then(|| {
                "Checked service health, reproduced with a test user, collected logs.".to_string()
            }),
            escalation_incomplete: tier == Tier::Operator && (n % 4 == 0 || n % 5 == 0),
            contact: Contact {
                first_name: Some(partner_user.name.split(' ').next().unwrap_or("").into()),
                last_name: Some("Agent".into()),
                email: Some(partner_user.email.clone()),
                phone: partner_user.phone.clone(),
                channel: Some(ContactChannel::Phone),
                locale: Some("zh-CN".into()),
                time_zone: Some("Asia/Shanghai".into()),
            },
            country_code: customer.country.clone(),
            agent_locale: ["zh-CN", "en-US", "ru-RU"][n % 3].into(),
            created_by: partner_user.id,
            last_updated_by: partner_user.name.clone(),
            at: created,
            sla: app.opening_sla(
                if tier == Tier::Operator {
                    Tier::Operator
                } else {
                    Tier::Partner
                },
                severity,
                topic.category,
                created,
            ),
        };
        let id = store
            .create_request_with_history(
                &new,
                &system(created, "service_request", "", "created"),
                None,
            )
            .await?
            .id();
        if state == new.state {
            continue;
        }
        let mut request = store.request_for_update(id).await?;
        let before = request.clone();
        let later = created + SignedDuration::from_hours(3);
        request.state = state;
        request.modified_at = later;
        request.last_updated_by = engineer.name.clone();
        if tier == Tier::Operator {
            request.assigned_to = (n % 3 != 0).then_some(engineer.id);
        }
        if matches!(state, State::Resolved | State::Closed) {
            request.resolved_at = Some(later);
        }
        if state == State::Closed {
            request.closed_at = Some(later + SignedDuration::from_hours(1));
        }
        if tier == Tier::Operator {
            // The operator called the partner an hour in.
            app.first_contact(&mut request, created + SignedDuration::from_hours(1));
        }
        app.follow_sla(&before, &mut request, later);
        let notes = [
            NewNote {
                author_id: engineer.id,
                author_name: engineer.name.clone(),
                visibility: NoteVisibility::Public,
                body: "We are looking into this and will call you shortly.".into(),
                at: later,
            },
            NewNote {
                author_id: engineer.id,
                author_name: engineer.name.clone(),
                visibility: NoteVisibility::Internal,
                body: "Internal: matches a known backend issue.".into(),
                at: later,
            },
        ];
        let notes = if tier == Tier::Operator {
            &notes[..]
        } else {
            &[]
        };
        store
            .save_request(
                &request,
                notes,
                &[system(
                    later,
                    "service_request",
                    id,
                    state.to_string().as_str(),
                )],
            )
            .await?;
    }
    Ok(())
}

/// Words for synthetic load, in the three languages the desk serves.
const LOAD_WORDS: &[&str] = &[
    "mail",
    "delivery",
    "mailbox",
    "quota",
    "teams",
    "meeting",
    "audio",
    "sharepoint",
    "sync",
    "license",
    "invoice",
    "gateway",
    "timeout",
    "vpn",
    "tunnel",
    "disk",
    "latency",
    "refresh",
    "dataset",
    "cluster",
    "upgrade",
    "backup",
    "邮件",
    "会议",
    "同步",
    "许可证",
    "发票",
    "网关",
    "超时",
    "数据库",
    "备份",
    "延迟",
    "почта",
    "встреча",
    "синхронизация",
    "лицензия",
    "счёт",
    "шлюз",
    "задержка",
    "резервная",
    "копия",
    "диск",
];

/// A made-up word for a vocabulary rank (two or three syllables).
fn pseudo_word(rank: u64) -> String {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "gu", "ze", "ba", "fo", "hi",
        "ju", "qe", "xo", "wi", "yu", "ce", "pa", "to", "ni",
    ];
    let n = SYLLABLES.len() as u64;
    let mut word = String::new();
    let mut rest = rank + n;
    while rest > 0 {
        word.push_str(SYLLABLES[(rest % n) as usize]);
        rest /= n;
    }
    word
}

/// Adds `count` synthetic published articles (for load tests of the pre-submit matching):
/// spread over the four services and three languages.
pub async fn seed_load_articles(app: &App, count: usize) -> Result<()> {
    use partnerdesk_domain::{ArticleStatus, ContentLocale};
    seed(app).await?;
    let author = app.store.user_by_email("lead@operator.example").await?;
    let now = app.now();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let locales = [ContentLocale::En, ContentLocale::Zh, ContentLocale::Ru];
    for n in 0..count {
        // A vocabulary like real text's: a few common support words, and thousands of rarer
        // ones, the lower-numbered more often.
        let mut words = |k: usize| {
            (0..k)
                .map(|_| {
                    if next() % 10 == 0 {
                        LOAD_WORDS[(next() % LOAD_WORDS.len() as u64) as usize].to_string()
                    } else {
                        let rank = (next() % 5000) * (next() % 5000) / 5000;
                        pseudo_word(rank)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = words(6);
        let body = words(60);
        let fields = partnerdesk_store::ArticleFields {
            service_id: SERVICES[n % SERVICES.len()].0.to_string(),
            topic_id: None,
            locale: locales[n % locales.len()],
            terms: partnerdesk_domain::search_terms::stored_terms(&format!("{title}\n{body}")),
            body_html: crate::articles::render_markdown(&body),
            title,
            body,
            status: ArticleStatus::Published,
        };
        app.store
            .insert_article(
                &fields,
                author.id,
                now,
                &system(now, "article", "", "written"),
            )
            .await?;
    }
    app.store.analyze().await?;
    Ok(())
}

/// Gives Contoso at least `wanted` customers, adding synthetic ones ("Load customer 0042"), so a
/// load test can spread its requests as thinly as the reference server's (1,000 customers).
async fn seed_load_customers(app: &App, contoso: Guid, wanted: usize) -> Result<Vec<Organization>> {
    let store = &app.store;
    let mut customers = store
        .customers_of_partner(contoso, None, 0, i64::MAX)
        .await?
        .items;
    let at = app.now();
    for n in customers.len()..wanted {
        let name = format!("Load customer {n:04}");
        let mut customer = org(OrgKind::Customer, &name, None, "CN", at);
        customer.id = Guid::from_name(&format!("load:{name}"));
        customer.domain = Some(format!("load{n:04}.example"));
        store
            .insert_organization(
                &customer,
                &system(at, "organization", customer.id, "created"),
            )
            .await?;
        store
            .insert_relationship(
                contoso,
                customer.id,
                true,
                &system(at, "relationship", customer.id, "created"),
            )
            .await?;
        store
            .add_managed_service(
                customer.id,
                "office365",
                Some(REGIONS[n % 2].0),
                &system(at, "organization", customer.id, "service_added"),
            )
            .await?;
        customers.push(customer);
    }
    Ok(customers)
}

/// Adds `count` synthetic requests spread over Contoso's customers — at least `customers` of
/// them (after seeding the demo world if needed) —, for load tests. Each description carries a
/// unique `refNNNNNN` so that a selective search has exactly one hit. Returns the ids created,
/// lowest first.
pub async fn seed_load(app: &App, count: usize, customers: usize) -> Result<Vec<i64>> {
    seed(app).await?;
    let store = &app.store;
    let operator = store
        .operator()
        .await?
        .ok_or_else(|| crate::AppError::Internal("no operator".into()))?;
    let contoso = Guid::from_name("demo:Contoso");
    let customers = seed_load_customers(app, contoso, customers).await?;
    let agent = store.user_by_email("agent@contoso.example").await?;
    let engineer = store.user_by_email("engineer@operator.example").await?;
    let topics = store.topics(Some("office365")).await?;
    let already = store
        .list_requests(
            &Default::default(),
            &Default::default(),
            Default::default(),
            None,
            0,
            1,
        )
        .await?
        .total;
    let now = app.now();
    // xorshift: deterministic text without a dependency.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut ids = Vec::with_capacity(count);
    let mut batch = Vec::with_capacity(1000);
    for n in 0..count {
        let mut words = |k: usize| {
            (0..k)
                .map(|_| LOAD_WORDS[(next() % LOAD_WORDS.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = words(6);
        let description = format!("{} ref{:06}", words(30), already as usize + n + 1);
        let customer = &customers[n % customers.len()];
        let topic = &topics[n % topics.len()];
        // Spread over the trailing 90 days (the scorecard's period), oldest first.
        let at = now
            - SignedDuration::from_secs(90 * 86_400 / (count as i64).max(1) * (count - n) as i64);
        let waited = SignedDuration::from_mins(1 + (next() % 360) as i64);
        let severity = [Severity::Critical, Severity::Moderate, Severity::Minimal][n % 3];
        // A fifth still open: the operator's queue holds 20,000 of 100,000 (issue #5's bar).
        let resolved = n % 5 != 0;
        let new = NewRequest {
            kind: RequestKind::Customer,
            partner_id: contoso,
            customer_id: Some(customer.id),
            service_id: Some(topic.service_id.clone()),
            topic_id: Some(topic.id.clone()),
            category: topic.category,
            title,
            description,
            severity,
            state: if resolved {
                State::Resolved
            } else {
                State::Escalated
            },
            tier: Tier::Operator,
            holder_org_id: operator.id,
            escalation_criterion: Some(EscalationCriterion::NotAsDocumented),
            troubleshooting: Some("Reproduced; logs collected.".into()),
            escalation_incomplete: false,
            contact: Contact {
                email: Some(agent.email.clone()),
                ..Contact::default()
            },
            country_code: customer.country.clone(),
            agent_locale: "en-US".into(),
            created_by: agent.id,
            last_updated_by: agent.name.clone(),
            at,
            sla: if resolved {
                app.answered_sla(severity, topic.category, at, waited)
            } else {
                app.opening_sla(Tier::Operator, severity, topic.category, at)
            },
        };
        batch.push((new, system(at, "service_request", "", "created")));
        if batch.len() == 1000 || n + 1 == count {
            let created = store.create_requests_with_history(&batch).await?;
            // As worked requests have: the engineer's answer on each resolved one. (With only
            // the demo's few notes, PostgreSQL read the whole notes table for every request.)
            let answers: Vec<_> = created
                .iter()
                .zip(&batch)
                .filter(|(_, (new, _))| new.state == State::Resolved)
                .map(|(id, (new, _))| {
                    let note = NewNote {
                        author_id: engineer.id,
                        author_name: engineer.name.clone(),
                        visibility: NoteVisibility::Public,
                        body: "Fixed on our side; please confirm with the customer.".into(),
                        at: new.sla.first_contact_at.unwrap_or(new.at),
                    };
                    (*id, note)
                })
                .collect();
            store.add_notes(&answers).await?;
            ids.extend(created.into_iter().map(|id| id.get()));
            batch.clear();
        }
    }
    // As a running system would have: the clocks that ran out are marked (once, here, rather
    // than by the first upkeep of the server measured), then the planner's statistics and the
    // visibility map are brought up to date.
    app.sweep_sla().await?;
    store.analyze().await?;
    Ok(ids)
}
