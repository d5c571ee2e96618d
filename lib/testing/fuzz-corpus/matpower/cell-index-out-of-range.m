function mpc = hostile
c = {1, 2};
x = c{5} + 1;
