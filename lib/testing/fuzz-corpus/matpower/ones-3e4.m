function mpc = hostile
x = ones(3e4,3e4);
