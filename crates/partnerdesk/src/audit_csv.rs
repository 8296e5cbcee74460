//! The audit log as CSV (RFC 4180), safe to open in a spreadsheet: a cell that would start a
//! formula is prefixed with an apostrophe.

use partnerdesk_app::store::AuditEvent;

fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

pub fn csv(events: &[AuditEvent]) -> String {
    let mut out = String::from("time,actor,entity,entity_id,action,detail\r\n");
    for e in events {
        let row = [
            e.at.to_string(),
            e.actor_name.clone(),
            e.entity.clone(),
            e.entity_id.clone(),
            e.action.clone(),
            e.detail.to_string(),
        ];
        out.push_str(&row.iter().map(|v| cell(v)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-2"), "'-2");
    }
}
