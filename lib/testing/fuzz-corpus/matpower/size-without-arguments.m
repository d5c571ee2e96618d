function mpc = hostile
x = size();
