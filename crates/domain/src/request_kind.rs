//! Classifications of a request and its notes.

/// Who the request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// On behalf of a customer, or filed by a customer to its partner.
    Customer,
    /// The partner's own problem with the platform, billing or account.
    Partner,
}

crate::enum_text!(RequestKind { Customer => "customer", Partner => "partner" });

/// A support topic's category; a request takes its topic's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Technical,
    Billing,
    Account,
}

crate::enum_text!(Category { Technical => "technical", Billing => "billing", Account => "account" });

/// Why the partner could not solve it itself (product.md, step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EscalationCriterion {
    NotAsDocumented,
    ServiceUnavailable,
    Bug,
    NetworkDisruption,
    RegionalMultiTenant,
    BillingDispute,
    FraudOrMisuse,
}

crate::enum_text!(EscalationCriterion {
    NotAsDocumented => "not_as_documented",
    ServiceUnavailable => "service_unavailable",
    Bug => "bug",
    NetworkDisruption => "network_disruption",
    RegionalMultiTenant => "regional_multi_tenant",
    BillingDispute => "billing_dispute",
    FraudOrMisuse => "fraud_or_misuse",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteVisibility {
    /// Seen by everyone who sees the request.
    Public,
    /// Operator staff only.
    Internal,
}

crate::enum_text!(NoteVisibility { Public => "public", Internal => "internal" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactChannel {
    Phone,
    Email,
    Chat,
    Meeting,
}

crate::enum_text!(ContactChannel { Phone => "phone", Email => "email", Chat => "chat", Meeting => "meeting" });
