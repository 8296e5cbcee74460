//! Service health as the operator publishes it: incidents, advisories and planned maintenance,
//! with a status, a public severity, and texts in the languages partners read; and the
//! self-help articles that answer problems before they are escalated.

/// What is being announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentKind {
    /// Something is broken now.
    Incident,
    /// Something partners should know (degradation, a change in behaviour).
    Advisory,
    /// Announced work with a start and an end.
    PlannedMaintenance,
}

crate::enum_text!(IncidentKind {
    Incident => "incident",
    Advisory => "advisory",
    PlannedMaintenance => "planned_maintenance",
});

/// Where the operator's engineers are with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

crate::enum_text!(IncidentStatus {
    Investigating => "investigating",
    Identified => "identified",
    Monitoring => "monitoring",
    Resolved => "resolved",
});

/// How loudly partners and customers are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PublicSeverity {
    Normal,
    Information,
    Warning,
    Critical,
}

crate::enum_text!(PublicSeverity {
    Normal => "normal",
    Information => "information",
    Warning => "warning",
    Critical => "critical",
});

/// The languages health notices and articles are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContentLocale {
    En,
    Zh,
    Ru,
}

crate::enum_text!(ContentLocale { En => "en", Zh => "zh", Ru => "ru" });

impl ContentLocale {
    /// The content language for a BCP 47 tag (`zh-CN`, `ru`, `en-US`), if it is one of ours.
    pub fn from_tag(tag: &str) -> Option<ContentLocale> {
        let language = tag.trim().split(['-', '_']).next().unwrap_or("");
        <ContentLocale as crate::EnumText>::parse_text(language).ok()
    }
}

/// Whether readers can find an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStatus {
    Draft,
    Published,
}

crate::enum_text!(ArticleStatus { Draft => "draft", Published => "published" });

/// Why a partner stopped before submitting a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeflectionReason {
    /// Fixed in the customer's admin center.
    SolvedInAdminCenter,
    /// A published incident already covers it.
    KnownIncident,
    /// A self-help article answered it.
    ArticleHelped,
}

crate::enum_text!(DeflectionReason {
    SolvedInAdminCenter => "solved_in_admin_center",
    KnownIncident => "known_incident",
    ArticleHelped => "article_helped",
});

/// What a status change means for the incident's end time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Unchanged,
    /// From one open status to another.
    Progressed,
    /// It is over: the end time is set if it was not.
    Resolved,
    /// A resolved incident is open again: its end time is cleared.
    Reopened,
}

impl IncidentStatus {
    pub fn is_open(self) -> bool {
        self != IncidentStatus::Resolved
    }

    /// Any status may follow any other; only the meaning differs.
    pub fn change_to(self, to: IncidentStatus) -> StatusChange {
        match (self.is_open(), to.is_open()) {
            _ if self == to => StatusChange::Unchanged,
            (true, true) => StatusChange::Progressed,
            (true, false) => StatusChange::Resolved,
            (false, _) => StatusChange::Reopened,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EnumText;

    #[test]
    fn status_changes_are_classified() {
        use IncidentStatus::*;
        assert_eq!(
            Investigating.change_to(Investigating),
            StatusChange::Unchanged
        );
        assert_eq!(
            Investigating.change_to(Monitoring),
            StatusChange::Progressed
        );
        assert_eq!(Monitoring.change_to(Identified), StatusChange::Progressed);
        assert_eq!(Identified.change_to(Resolved), StatusChange::Resolved);
        assert_eq!(Resolved.change_to(Investigating), StatusChange::Reopened);
        assert_eq!(Resolved.change_to(Resolved), StatusChange::Unchanged);
        for from in IncidentStatus::ALL {
            for to in IncidentStatus::ALL {
                let change = from.change_to(*to);
                assert_eq!(change == StatusChange::Unchanged, from == to);
                assert_eq!(
                    change == StatusChange::Reopened,
                    !from.is_open() && from != to
                );
            }
        }
    }

    #[test]
    fn content_locales_come_from_language_tags() {
        assert_eq!(ContentLocale::from_tag("zh-CN"), Some(ContentLocale::Zh));
        assert_eq!(ContentLocale::from_tag("ru_RU"), Some(ContentLocale::Ru));
        assert_eq!(ContentLocale::from_tag("EN"), Some(ContentLocale::En));
        assert_eq!(ContentLocale::from_tag("de-DE"), None);
        assert_eq!(ContentLocale::from_tag(""), None);
        assert_eq!(
            PublicSeverity::parse_text("Critical"),
            Ok(PublicSeverity::Critical)
        );
        assert!(PublicSeverity::Warning < PublicSeverity::Critical);
    }
}
