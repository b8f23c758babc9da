SELECT exp(1), ln(10), log10(2), log2(10), log(8);
