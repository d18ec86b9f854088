"""Planning the demo's memberships: schools, associations, alumni groups, communities."""

from __future__ import annotations

from coffeechat.demo.plan import DEMO_TODAY, Member, Plan


def make_memberships(plan: Plan) -> None:
    rng = plan.rng
    data, landmarks = plan.data, plan.landmarks
    members = data.members
    alumni = set(plan.alumni)
    association = set(plan.association)
    ex_colleagues = set(plan.ex_colleagues)
    other_schools = [g for g in landmarks.schools if g != landmarks.my_school]
    other_associations = [g for g in landmarks.associations if g != landmarks.my_association]
    # schools that are also organizations give graduate degrees too
    graduate_schools = [g for g in landmarks.schools if data.groups[g].organization]
    for index, person in enumerate(plan.people):
        if index in alumni:
            person.members.append(
                Member(
                    landmarks.my_school, rng.choice(members.degrees), class_year=person.grad_year
                )
            )
        elif rng.random() < 0.7:
            school = rng.choice(other_schools)
            degree = data.groups[school].degree or rng.choice(members.degrees)
            person.members.append(Member(school, degree, class_year=person.grad_year))
        if rng.random() < 0.15 and person.grad_year + 4 <= DEMO_TODAY.year - 1:
            year = rng.randint(person.grad_year + 4, min(person.grad_year + 12, 2025))
            school = rng.choice(graduate_schools)
            person.members.append(
                Member(school, rng.choice(members.graduate_degrees), class_year=year)
            )
        if index in association:
            start = rng.randint(max(person.grad_year, 2012), 2025)
            person.members.append(
                Member(landmarks.my_association, rng.choice(members.chapters), start_year=start)
            )
        if rng.random() < 0.22:
            group = rng.choice(other_associations)
            start = rng.randint(max(person.grad_year, 2005), 2025)
            person.members.append(Member(group, rng.choice(members.chapters), start_year=start))
        for job in person.former:
            alumni_group = landmarks.alumni_group_of_org.get(job.org)
            if alumni_group is None or job.end is None:
                continue
            if (
                index in ex_colleagues and job.org == landmarks.former_employer
            ) or rng.random() < 0.6:
                person.members.append(
                    Member(
                        alumni_group,
                        job.department,
                        start_year=job.start.year,
                        end_year=job.end.year,
                    )
                )
        if rng.random() < 0.18:
            group = rng.choice(landmarks.communities)
            start = rng.randint(max(person.grad_year, 2010), 2025)
            person.members.append(
                Member(group, rng.choice(members.community_roles), start_year=start)
            )
