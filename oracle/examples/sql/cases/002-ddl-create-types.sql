CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n NUMERIC);
SELECT sql FROM sqlite_master WHERE name = 't';
