.mode table
.nullvalue -
SELECT 'Ada' AS name, 36 AS age, NULL AS n UNION ALL SELECT 'Brian', 7, 2.5;
SELECT 1 AS x;
