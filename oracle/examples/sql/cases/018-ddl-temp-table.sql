CREATE TEMP TABLE t(a);
INSERT INTO t VALUES (1);
SELECT * FROM temp.t;
SELECT count(*) FROM sqlite_master;
