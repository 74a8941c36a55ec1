-- The supervisors' sync report reads the audit log by village and time (the days counted)
-- and by account and time (its last write); both indexes cover what the report reads.
CREATE INDEX audit_by_area_time ON audit_log (area, at, action, actor);
CREATE INDEX audit_by_actor_time ON audit_log (actor, at, action, area);
