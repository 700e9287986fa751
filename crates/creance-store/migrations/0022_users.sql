-- Web UI users and sessions (issue 13). Both engines.
-- A user is not a company's: it holds a role in one or more companies (user_roles). Its e-mail is
-- stored lower-cased, so the UNIQUE constraint makes it unique case-insensitively.
CREATE TABLE users (
    id {{id}},
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('fr', 'en', 'de', 'it')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    CONSTRAINT users_email_unique UNIQUE (email)
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    role TEXT NOT NULL CHECK (role IN ('read_only', 'clerk', 'admin')),
    PRIMARY KEY (user_id, company_id)
);
CREATE INDEX user_roles_company ON user_roles (company_id);

-- A browser session: only the SHA-256 of its cookie is stored (like api_tokens). The company is the
-- one the user works in now (the company switch changes it).
CREATE TABLE web_sessions (
    id {{id}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- Login attempts per e-mail (lower-cased, known or not) and source, for the throttle.
CREATE TABLE login_attempts (
    id {{id}},
    email TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    ok INTEGER NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
