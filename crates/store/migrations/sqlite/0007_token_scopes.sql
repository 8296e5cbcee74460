-- What a token may do: 'api' acts as its user on the API; 'feed' only reads the user's
-- service-health feed (it travels in a URL, so it can do nothing else).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'api';
