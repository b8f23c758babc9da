SELECT substr();
