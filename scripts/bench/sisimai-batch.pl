#!/usr/bin/perl
# The baseline for ndr's batch benchmark: sisimai (Debian's libsisimai-perl),
# the bounce parser admins run today, over the same files in one process.
# Prints one line per failed recipient (file, address, status) and a count.
use strict;
use warnings;
use Sisimai;

my $files = 0;
my $found = 0;
while (my $path = <STDIN>) {
    chomp $path;
    next unless length $path;
    $files++;
    my $v = eval { Sisimai->make($path) } || [];
    for my $e (@$v) {
        $found++;
        print join("\t", $path, $e->recipient->address, $e->deliverystatus // ''), "\n";
    }
}
print STDERR "sisimai: $files files, $found recipients\n";
