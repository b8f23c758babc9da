SELECT julianday('2024-01-02') - julianday('2024-01-01'), julianday('2000-01-01 12:00:00');
