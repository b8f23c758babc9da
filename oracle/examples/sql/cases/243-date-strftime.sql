SELECT strftime('%Y/%m/%d %H:%M', '2024-07-04 13:45:10'), strftime('%j', '2024-12-31'), strftime('%w', '2024-06-01');
