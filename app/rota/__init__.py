"""The rota: moderators' shifts, and `on_shift`, the one clock that decides who may see
the queue. Planned shifts, caps across a week and handover arrive with issue 15."""
