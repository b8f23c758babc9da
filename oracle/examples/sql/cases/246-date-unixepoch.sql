SELECT unixepoch('2024-01-01 00:00:00'), datetime(1700000000, 'unixepoch'), time('12:30:45', '+30 seconds');
