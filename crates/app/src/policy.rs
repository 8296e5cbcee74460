//! The one authorization policy: the role table of product.md. Every use case asks here; no
//! handler decides. Another tenant's object is `NotFound`; a visible object the actor may not
//! act on is `Forbidden`.

use partnerdesk_domain::{Action, Category, Guid, OrgKind, RequestKind, Role, Tier};
use partnerdesk_store::{IncidentScope, RequestScope, ServiceRequest};

use crate::{Actor, AppError, Result};

/// The requests an actor may see. Sales agents and health managers see none.
pub fn request_scope(actor: &Actor) -> Result<RequestScope> {
    let org = Some(actor.org_id());
    let scope = match actor.role() {
        Role::OperatorAdmin | Role::SupportLead | Role::SupportEngineer => RequestScope {
            reached_operator: true,
            ..Default::default()
        },
        Role::BillingSpecialist => RequestScope {
            reached_operator: true,
            category: Some(Category::Billing),
            ..Default::default()
        },
        Role::GlobalAdmin => RequestScope {
            partner_id: org,
            ..Default::default()
        },
        Role::AdminAgent | Role::HelpdeskAgent => RequestScope {
            partner_id: org,
            kind: Some(RequestKind::Customer),
            ..Default::default()
        },
        Role::BillingAdmin => RequestScope {
            partner_id: org,
            category: Some(Category::Billing),
            ..Default::default()
        },
        Role::CustomerAdmin => RequestScope {
            customer_id: org,
            ..Default::default()
        },
        Role::SalesAgent | Role::HealthManager => return Err(AppError::Forbidden),
    };
    Ok(scope)
}

/// Whether the request belongs to the actor's own tenant (so that hiding it would be a 403, not
/// a 404): the operator's whole world, the partner's requests, the customer's requests.
fn in_tenant(actor: &Actor, request: &ServiceRequest) -> bool {
    match actor.org_kind() {
        OrgKind::Operator => request.escalated_at.is_some(),
        OrgKind::Partner => request.partner_id == actor.org_id(),
        OrgKind::Customer => request.customer_id == Some(actor.org_id()),
    }
}

/// May the actor see this request? `NotFound` outside its tenant, `Forbidden` inside it.
pub fn check_can_see(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    match request_scope(actor) {
        Ok(scope) if scope.contains(request) => Ok(()),
        _ if in_tenant(actor, request) => Err(AppError::Forbidden),
        _ => Err(AppError::NotFound),
    }
}

/// Whether the actor sees operator-internal notes.
pub fn sees_internal_notes(actor: &Actor) -> bool {
    actor.is_operator()
}

/// May the actor file requests on behalf of customers (in the given category)?
pub fn may_file_for_customer(actor: &Actor, category: Category) -> bool {
    match actor.role() {
        Role::GlobalAdmin | Role::AdminAgent | Role::HelpdeskAgent => true,
        Role::BillingAdmin => category == Category::Billing,
        _ => false,
    }
}

/// May the actor start a request about a customer: a partner's agents on its behalf (in some
/// category), or a customer's admin to its partner?
pub fn may_start_customer_requests(actor: &Actor) -> bool {
    actor.role() == Role::CustomerAdmin
        || [Category::Technical, Category::Billing, Category::Account]
            .into_iter()
            .any(|c| may_file_for_customer(actor, c))
}

/// May the actor file the partner's own requests (in the given category)?
pub fn may_file_for_partner(actor: &Actor, category: Category) -> bool {
    match actor.role() {
        Role::GlobalAdmin => true,
        Role::BillingAdmin => category == Category::Billing,
        _ => false,
    }
}

/// May the actor file its partner's own requests in some category?
pub fn may_file_own_requests(actor: &Actor) -> bool {
    [Category::Technical, Category::Billing, Category::Account]
        .into_iter()
        .any(|c| may_file_for_partner(actor, c))
}

/// May the actor edit its partner's support profile (what its customers see)?
pub fn may_edit_support_profile(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::Partner && actor.role() == Role::GlobalAdmin
}

/// May the actor add and list the users of its own organization?
pub fn may_manage_users(actor: &Actor) -> bool {
    matches!(actor.role(), Role::OperatorAdmin | Role::GlobalAdmin)
}

/// May the actor see customers (search, details, managed services)?
pub fn may_see_customers(actor: &Actor) -> bool {
    !matches!(actor.role(), Role::HealthManager)
}

/// May the actor see and manage partner organizations?
pub fn may_read_partners(actor: &Actor) -> bool {
    actor.is_operator()
}

pub fn may_manage_partners(actor: &Actor) -> bool {
    actor.role() == Role::OperatorAdmin
}

/// May the actor add customers and change their records and services (a helpdesk agent may
/// not: product.md)? The operator's admin, a partner's global admin and admin agents.
pub fn may_edit_customers(actor: &Actor) -> bool {
    matches!(
        actor.role(),
        Role::OperatorAdmin | Role::GlobalAdmin | Role::AdminAgent
    )
}

/// May the actor change the catalogue: services, their admin-center links and support topics?
pub fn may_manage_catalogue(actor: &Actor) -> bool {
    actor.role() == Role::OperatorAdmin
}

/// May the actor assign operator-held requests (to anyone, or to themself only)?
pub fn check_assign(actor: &Actor, request: &ServiceRequest, assignee_is_self: bool) -> Result<()> {
    check_can_see(actor, request)?;
    match actor.role() {
        Role::OperatorAdmin | Role::SupportLead => Ok(()),
        Role::SupportEngineer | Role::BillingSpecialist if assignee_is_self => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// May the actor log a contact with the partner about this request? Those who work it at the
/// operator, while the operator holds it.
pub fn check_contact(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    check_can_see(actor, request)?;
    if works_at_operator(actor, request) && request.tier == Tier::Operator {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May the actor judge whether this request was properly escalated? Those who work it at the
/// operator.
pub fn check_review(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    check_can_see(actor, request)?;
    if works_at_operator(actor, request) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May the actor dispute the verdict? The partner whose request it is.
pub fn check_dispute(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    check_can_see(actor, request)?;
    if is_owning_partner(actor, request) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May the actor decide a dispute? Leads (and the operator's admins).
pub fn check_decide_dispute(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    check_can_see(actor, request)?;
    match actor.role() {
        Role::SupportLead | Role::OperatorAdmin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// May the actor read this partner's scorecard? The operator's support people any; the
/// partner's admins its own.
pub fn check_scorecard(actor: &Actor, partner_id: Guid) -> Result<()> {
    match (actor.org_kind(), actor.role()) {
        (OrgKind::Operator, Role::OperatorAdmin | Role::SupportLead | Role::SupportEngineer) => {
            Ok(())
        }
        (OrgKind::Partner, Role::GlobalAdmin | Role::AdminAgent)
            if actor.org_id() == partner_id =>
        {
            Ok(())
        }
        (OrgKind::Partner, _) if actor.org_id() != partner_id => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

/// May the actor open and run remediation plans? Leads and the operator's admins.
pub fn may_manage_plans(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::Operator
        && matches!(actor.role(), Role::SupportLead | Role::OperatorAdmin)
}

/// May the actor read this partner's remediation plans? The operator's support people, and the
/// partner's global admin (who acknowledges them).
pub fn check_read_plans(actor: &Actor, partner_id: Guid) -> Result<()> {
    match (actor.org_kind(), actor.role()) {
        (OrgKind::Operator, Role::OperatorAdmin | Role::SupportLead | Role::SupportEngineer) => {
            Ok(())
        }
        (OrgKind::Partner, Role::GlobalAdmin) if actor.org_id() == partner_id => Ok(()),
        (OrgKind::Partner, _) if actor.org_id() != partner_id => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

/// May the actor acknowledge the plan, or mark its actions done? The partner's global admin
/// (and, for actions, those who run plans).
pub fn is_plans_partner_admin(actor: &Actor, partner_id: Guid) -> bool {
    actor.org_kind() == OrgKind::Partner
        && actor.org_id() == partner_id
        && actor.role() == Role::GlobalAdmin
}

/// May the actor read the audit log? The operator's admins and leads.
pub fn may_read_audit_log(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::Operator
        && matches!(actor.role(), Role::OperatorAdmin | Role::SupportLead)
}

/// May the actor read the SLA policy? The operator's people who work requests.
pub fn may_read_sla_policy(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::Operator
        && matches!(
            actor.role(),
            Role::OperatorAdmin
                | Role::SupportLead
                | Role::SupportEngineer
                | Role::BillingSpecialist
        )
}

/// Whether the actor works operator-held requests of this request's category.
fn works_at_operator(actor: &Actor, request: &ServiceRequest) -> bool {
    match actor.role() {
        Role::OperatorAdmin | Role::SupportLead | Role::SupportEngineer => true,
        Role::BillingSpecialist => request.category == Category::Billing,
        _ => false,
    }
}

/// Whether the actor acts for the partner that owns this request.
fn is_owning_partner(actor: &Actor, request: &ServiceRequest) -> bool {
    actor.org_kind() == OrgKind::Partner && actor.org_id() == request.partner_id
}

fn is_customer(actor: &Actor, request: &ServiceRequest) -> bool {
    actor.org_kind() == OrgKind::Customer && request.customer_id == Some(actor.org_id())
}

/// May the actor take `action` on a request it can see? (Whether the action is legal from the
/// request's state is the state machine's business, checked after this.)
pub fn check_action(actor: &Actor, request: &ServiceRequest, action: Action) -> Result<()> {
    check_can_see(actor, request)?;
    // Who may act is decided here; whether the action is legal from the request's current
    // state is the state machine's answer (a 409), so these rules do not look at the state.
    let holder_works_it = match request.tier {
        Tier::Operator => works_at_operator(actor, request),
        Tier::Partner => is_owning_partner(actor, request),
    };
    let allowed = match action {
        Action::Start | Action::Resolve => holder_works_it,
        Action::AwaitPartner => works_at_operator(actor, request),
        Action::AwaitCustomer | Action::Escalate => is_owning_partner(actor, request),
        // The awaited party answers; a partner may answer for its customer.
        Action::ProvideInfo => is_owning_partner(actor, request) || is_customer(actor, request),
        // The filing side confirms, reopens or withdraws; operator leads may close too.
        Action::Reopen => is_owning_partner(actor, request) || is_customer(actor, request),
        Action::Close => {
            is_owning_partner(actor, request)
                || is_customer(actor, request)
                || matches!(actor.role(), Role::OperatorAdmin | Role::SupportLead)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May the actor merge this request, as a duplicate, into another? Those who work it at the
/// operator, while the operator holds it.
pub fn check_merge(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    check_can_see(actor, request)?;
    if actor.is_operator() && request.tier == Tier::Operator && works_at_operator(actor, request) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May the actor edit a request's title and severity? The side that filed it, and operator staff
/// working it.
pub fn check_edit(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    check_can_see(actor, request)?;
    if is_owning_partner(actor, request)
        || is_customer(actor, request)
        || works_at_operator(actor, request)
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May the actor add a note? Everyone who can see the request, except billing/health roles
/// outside their area (already excluded by the scope).
pub fn check_note(actor: &Actor, request: &ServiceRequest) -> Result<()> {
    check_can_see(actor, request)
}

/// The service health an actor may see: the operator all of it, a partner what reaches any of
/// its customers, a customer what reaches it. Sales agents see none (product.md).
pub fn incident_scope(actor: &Actor) -> Result<IncidentScope> {
    match (actor.org_kind(), actor.role()) {
        (_, Role::SalesAgent) => Err(AppError::Forbidden),
        (OrgKind::Operator, _) => Ok(IncidentScope::Everything),
        (OrgKind::Partner, _) => Ok(IncidentScope::Partner(actor.org_id())),
        (OrgKind::Customer, _) => Ok(IncidentScope::Customer(actor.org_id())),
    }
}

/// May the actor publish and edit incidents, advisories and maintenance notices?
pub fn may_publish_health(actor: &Actor) -> bool {
    matches!(actor.role(), Role::OperatorAdmin | Role::HealthManager)
}

/// May the actor read self-help articles? Everyone who does support (sales agents do not).
pub fn may_read_articles(actor: &Actor) -> bool {
    actor.role() != Role::SalesAgent
}

/// May the actor write articles and see drafts? The operator's admins, leads and health
/// managers.
pub fn may_write_articles(actor: &Actor) -> bool {
    matches!(
        actor.role(),
        Role::OperatorAdmin | Role::SupportLead | Role::HealthManager
    )
}

/// May the actor record that it stopped before submitting a request for a customer? The
/// partner roles that file requests for customers.
pub fn may_record_deflections(actor: &Actor) -> bool {
    matches!(
        actor.role(),
        Role::GlobalAdmin | Role::AdminAgent | Role::HelpdeskAgent | Role::BillingAdmin
    )
}

/// Whose deflections the actor may read: the operator everyone's (`None`), a partner's support
/// roles their own. Customers and sales agents none.
pub fn deflection_scope(actor: &Actor) -> Result<Option<partnerdesk_domain::Guid>> {
    match (actor.org_kind(), actor.role()) {
        (OrgKind::Operator, _) => Ok(None),
        (OrgKind::Partner, Role::SalesAgent) | (OrgKind::Customer, _) => Err(AppError::Forbidden),
        (OrgKind::Partner, _) => Ok(Some(actor.org_id())),
    }
}
