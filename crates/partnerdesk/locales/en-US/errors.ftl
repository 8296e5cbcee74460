# Messages of the stable error codes (API bodies and pages).
error-unauthenticated = Sign in or send a valid API token.
error-bad_credentials = Wrong e-mail or password.
error-forbidden = You are not allowed to do this.
error-not_found = Not found.
error-invalid_input = Some fields are not valid:
error-illegal_transition = This request cannot make that change in its current state.
error-duplicate = It already exists.
error-precondition_failed = It changed since you read it; reload and try again.
error-rate_limited = Too many attempts; wait and try again.
error-unavailable = Temporarily unavailable; try again shortly.
error-bad_body = The request body could not be read.
error-too_large = The request body is too large.
error-unsupported_media_type = Send JSON with Content-Type: application/json.
error-internal = Something went wrong on our side.
error-bad_form = The form expired; please submit it again.

# What is wrong with one field ("title: is required").
field-required = is required
field-too-long = is longer than { $max } characters
field-too-short = is shorter than { $min } characters
field-not-one-of = must be one of: { $allowed }
field-invalid = is not valid ({ $reason })
field-too-large-megabytes = is larger than { $max } MB
field-too-many-files = holds more than { $max } files
