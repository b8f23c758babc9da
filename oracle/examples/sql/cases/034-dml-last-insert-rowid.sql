CREATE TABLE t(id INTEGER PRIMARY KEY, v);
INSERT INTO t(v) VALUES ('a');
INSERT INTO t(v) VALUES ('b');
SELECT last_insert_rowid();
