//! Organizations in the support chain and the roles of their users (product.md).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgKind {
    Operator,
    Partner,
    Customer,
}

crate::enum_text!(OrgKind { Operator => "operator", Partner => "partner", Customer => "customer" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    OperatorAdmin,
    SupportLead,
    SupportEngineer,
    BillingSpecialist,
    HealthManager,
    GlobalAdmin,
    AdminAgent,
    HelpdeskAgent,
    SalesAgent,
    BillingAdmin,
    CustomerAdmin,
}

crate::enum_text!(Role {
    OperatorAdmin => "operator_admin",
    SupportLead => "support_lead",
    SupportEngineer => "support_engineer",
    BillingSpecialist => "billing_specialist",
    HealthManager => "health_manager",
    GlobalAdmin => "global_admin",
    AdminAgent => "admin_agent",
    HelpdeskAgent => "helpdesk_agent",
    SalesAgent => "sales_agent",
    BillingAdmin => "billing_admin",
    CustomerAdmin => "customer_admin",
});

impl Role {
    /// The kind of organization a user with this role belongs to.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Role::OperatorAdmin
            | Role::SupportLead
            | Role::SupportEngineer
            | Role::BillingSpecialist
            | Role::HealthManager => OrgKind::Operator,
            Role::GlobalAdmin
            | Role::AdminAgent
            | Role::HelpdeskAgent
            | Role::SalesAgent
            | Role::BillingAdmin => OrgKind::Partner,
            Role::CustomerAdmin => OrgKind::Customer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EnumText;

    #[test]
    fn every_role_belongs_to_one_org_kind() {
        let operator = Role::ALL
            .iter()
            .filter(|r| r.org_kind() == OrgKind::Operator)
            .count();
        let partner = Role::ALL
            .iter()
            .filter(|r| r.org_kind() == OrgKind::Partner)
            .count();
        assert_eq!((operator, partner, Role::ALL.len()), (5, 5, 11));
    }
}

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenScope {
    /// The API, as its user.
    Api,
    /// Reading its user's service-health feed, and nothing else.
    Feed,
}

crate::enum_text!(TokenScope { Api => "api", Feed => "feed" });
