.mode box
SELECT 'Ada' AS name, 36 AS age, NULL AS n UNION ALL SELECT 'Brian', 7, 2.5;
SELECT 'ü' AS wide, 'x' AS "a long name";
.headers off
SELECT 12345 AS a, 'b' AS b;
SELECT 1 AS x WHERE 0;
