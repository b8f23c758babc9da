SELECT datetime('2024-05-10 10:00:00', '+90 minutes'), datetime('2024-05-10', 'start of month'), date('2024-05-10', 'weekday 0');
