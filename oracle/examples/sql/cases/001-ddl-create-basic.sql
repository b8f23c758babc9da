CREATE TABLE t(a, b);
SELECT name, type FROM sqlite_master;
