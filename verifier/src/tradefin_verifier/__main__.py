from tradefin_verifier.cli import main

raise SystemExit(main())
