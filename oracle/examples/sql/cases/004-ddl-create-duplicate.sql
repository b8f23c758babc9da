CREATE TABLE t(a);
CREATE TABLE t(b);
SELECT count(*) FROM sqlite_master;
