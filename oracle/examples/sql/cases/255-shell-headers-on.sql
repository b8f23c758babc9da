.headers on
SELECT 1 AS one, 'two' AS two;
