SELECT json('{bad json');
