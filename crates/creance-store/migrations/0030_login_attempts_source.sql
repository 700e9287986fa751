-- The login throttle counts failures per client address too (issue 13: a guesser trying many
-- e-mails from one address is slowed down as one trying many passwords for one e-mail).
CREATE INDEX login_attempts_source ON login_attempts (source, at);
