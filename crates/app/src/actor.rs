//! Who is acting: an authenticated user, with their organization and role.

use partnerdesk_domain::{Guid, OrgKind, Role};
use partnerdesk_store::User;

#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
}

impl Actor {
    pub fn new(user: User) -> Self {
        Actor { user }
    }
    pub fn id(&self) -> Guid {
        self.user.id
    }
    pub fn org_id(&self) -> Guid {
        self.user.org_id
    }
    pub fn org_kind(&self) -> OrgKind {
        self.user.org_kind
    }
    pub fn role(&self) -> Role {
        self.user.role
    }
    pub fn name(&self) -> &str {
        &self.user.name
    }
    pub fn is_operator(&self) -> bool {
        self.user.org_kind == OrgKind::Operator
    }
}
