"""`beacon backtest`: replay past articles through the rules and the events stage, sending nothing.

- `inputs.py`: the articles, in publication order (JSON Lines archive, folder, the state's history)
- `stage.py`: the one adaptor to the events stage (what the store answers in a run, kept in memory)
- `replay.py`: the loop (caps, seen-check, rules, events stage) on a simulated clock
- `audience.py`: who would have received each alert (subscriptions via `bot/routing.py`, or one chat)
- `results.py`: the decisions and their tallies; `compare.py`: two rule sets, article by article
- `text.py`, `report.py` and `plots.py`: text output, the HTML report and its SVG plots
- `state.py`: a private copy of the state database; `progress.py`: the progress bar
- `arguments.py` and `command.py`: the subcommand's options and the command itself
"""
