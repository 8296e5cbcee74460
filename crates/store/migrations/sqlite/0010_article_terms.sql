-- The article's title and body as search terms (stemmed words, Chinese character pairs), kept
-- by the application beside the text, for the pre-submit matching.
ALTER TABLE articles ADD COLUMN terms TEXT NOT NULL DEFAULT '';
