DROP TABLE nope;
SELECT 'still running';
