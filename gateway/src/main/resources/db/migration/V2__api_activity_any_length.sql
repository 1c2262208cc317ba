-- A request's path (and who sent it) is recorded whatever its length: a long path is still a change someone made.
ALTER TABLE api_activity
    ALTER COLUMN path TYPE TEXT,
    ALTER COLUMN username TYPE TEXT,
    ALTER COLUMN method TYPE TEXT;
