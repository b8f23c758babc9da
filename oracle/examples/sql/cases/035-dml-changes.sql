CREATE TABLE t(a);
INSERT INTO t VALUES (1), (2), (3), (4);
UPDATE t SET a = a * 2 WHERE a > 2;
SELECT changes(), total_changes();
