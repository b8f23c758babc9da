CREATE TABLE t(a, b);
CREATE INDEX t_a ON t(a);
CREATE UNIQUE INDEX t_b ON t(b DESC);
SELECT type, name, tbl_name FROM sqlite_master ORDER BY name;
