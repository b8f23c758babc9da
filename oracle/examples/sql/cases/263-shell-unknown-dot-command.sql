.frobnicate
SELECT 'after';
