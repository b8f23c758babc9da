.headers on
CREATE TABLE t(a);
SELECT a FROM t;
SELECT 'done' AS status;
