.mode column
.headers on
SELECT 'Ada' AS name, 36 AS age UNION ALL SELECT 'Brian', 7;
