# The web console: frame, sign-in, dashboard.
app-name = partnerdesk
skip-to-content = Skip to content
main-menu = Main menu
signed-in-as = Signed in as { $name }
sign-in-title = Sign in
sign-in-intro = The support desk for partners and their customers.
sign-in-email = E-mail
sign-in-password = Password
sign-in-submit = Sign in
sign-out = Sign out
language = Language
language-apply = Apply
flash-signed-out = You are signed out.
flash-language-saved = Language changed.

page-forbidden-title = Not allowed
page-forbidden-text = Your role does not give you access to this page.
page-not-found-title = Page not found
page-not-found-text = It does not exist, or it is not visible to you.
page-error-title = Something went wrong
page-error-text = The problem is on our side and has been logged. Please try again.
page-back-home = Back to the dashboard

nav-dashboard = Dashboard
nav-customer-requests = Customer requests

dashboard-title = Dashboard
dashboard-welcome = Welcome, { $name }
dashboard-org = { $org } · { $role }
dashboard-nothing = Your role has no pages in the console yet; use the REST API.

role-operator_admin = Operator administrator
role-support_lead = Support lead
role-support_engineer = Support engineer
role-billing_specialist = Billing specialist
role-health_manager = Health manager
role-global_admin = Global administrator
role-admin_agent = Admin agent
role-helpdesk_agent = Helpdesk agent
role-sales_agent = Sales agent
role-billing_admin = Billing administrator
role-customer_admin = Customer administrator

# Requests and their words.
status-open = Open
status-attention_needed = Attention needed
status-closed = Closed
status-all = All
state-new = New
state-in_progress = In progress
state-awaiting_customer = Awaiting customer
state-escalated = Escalated
state-awaiting_partner = Awaiting partner
state-resolved = Resolved
state-closed = Closed
severity-critical = Critical (A)
severity-moderate = Moderate (B)
severity-minimal = Minimal (C)
severity-any = Any severity

requests-title = Customer requests
requests-filters = Filters
requests-search = Search
requests-search-hint = Words in the title or description
requests-status = Status
requests-severity = Severity
requests-customer = Customer
requests-customer-any = All customers
requests-service = Service
requests-service-any = All services
requests-from = Created from
requests-to = Created until
requests-mine = Assigned to me
requests-sort = Sort
sort-newest = Newest first
sort-oldest = Oldest first
sort-modified = Recently changed
sort-severity = Most severe first
requests-apply = Apply
requests-clear = Clear
requests-none = No requests match.
requests-count = { $total ->
    [one] 1 request
   *[other] { $total } requests
}
requests-range = { $from }–{ $to } of { $total }
requests-previous = Previous
requests-next = Next
col-id = ID
col-title = Title
col-customer = Customer
col-service = Service
col-severity = Severity
col-status = Status
col-created = Created
col-modified = Changed
col-sla = Operator
sla-at-partner = At the partner
sla-escalated = Escalated { $at }
sla-target = first response within { $hours } h
