DROP VIEW nothing;
